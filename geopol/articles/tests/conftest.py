import io
import json
from dataclasses import dataclass

import pytest
from django.core.management import call_command


@dataclass
class CommandRun:
    status: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


@pytest.fixture
def run_import(db):
    def run(*paths, as_json=True) -> CommandRun:
        out, err = io.StringIO(), io.StringIO()
        args = [str(p) for p in paths] + (["--json"] if as_json else [])
        try:
            call_command("import_articles", *args, stdout=out, stderr=err)
            status = 0
        except SystemExit as exit_:
            status = int(exit_.code)
        return CommandRun(status, out.getvalue(), err.getvalue())

    return run


def markdown(title="Niger: The Junta Digs In", published="2023-08-10T12:00:00Z", **extra):
    body = extra.pop("body", None) or (
        "The military government in Niamey has rejected the deadline set by ECOWAS.\n\n"
        "Neighbouring juntas in Mali and Burkina Faso pledged to treat an intervention as an "
        "act of war against them too."
    )
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"published: {published}"]
    lines += [f"{key}: {json.dumps(value)}" for key, value in extra.items()]
    return "\n".join([*lines, "---", "", body, ""])
