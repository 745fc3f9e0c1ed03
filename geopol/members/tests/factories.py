import datetime as dt
import functools

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from geopol.members.models import Membership, Organization, Seat

PASSWORD = "correct horse battery staple 7"


@functools.cache
def _hashed() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """A registered reader whose email address is verified (they can sign in)."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    # hashed once with the real hasher (Argon2 is slow on purpose), shared by every user
    password = factory.LazyFunction(lambda: _hashed())

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    plan = "Annual"
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    ends_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=355))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Institute {n}")
    slug = factory.Sequence(lambda n: f"institute-{n}")
    seat_limit = 3


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda seat: seat.user.email if seat.user else "x@example.org")
    accepted_at = factory.LazyFunction(timezone.now)
