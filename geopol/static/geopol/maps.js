/* Progressive enhancement for Geopol's maps: the server draws every map as SVG, which works
   without JavaScript, in print and in feeds. Where JavaScript runs, a button under each map
   swaps it for a Leaflet map of the same data (pan and zoom) drawn over Natural Earth country
   outlines served by Geopol itself: no tile server, no third-party requests. As on the SVG,
   places are labelled and lead to their search, countries to their pages. */
(function () {
  "use strict";
  var body = document.body;
  var leafletJs = body.getAttribute("data-leaflet-js");
  var leafletCss = body.getAttribute("data-leaflet-css");
  var basemapUrl = body.getAttribute("data-basemap");
  if (!leafletJs || !window.fetch) { return; }

  var loading = null;
  function loadLeaflet() {
    if (loading) { return loading; }
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = leafletCss;
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = leafletJs;
      script.onload = function () { resolve(window.L); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }

  var basemap = null;
  function loadBasemap() {
    if (!basemap) { basemap = fetch(basemapUrl).then(function (r) { return r.json(); }); }
    return basemap;
  }

  function draw(L, figure, data, world) {
    // the figure holds a wide and a narrow drawing; the one shown gives the height
    var svgs = Array.prototype.slice.call(figure.querySelectorAll("svg.geomap"));
    var shown = svgs.filter(function (s) { return s.getBoundingClientRect().height > 0; })[0];
    var holder = document.createElement("div");
    holder.className = "leaflet-holder";
    holder.style.height = Math.max(shown ? shown.getBoundingClientRect().height : 400, 300) + "px";
    svgs.forEach(function (s) { s.style.display = "none"; });
    figure.insertBefore(holder, figure.firstChild);
    var map = L.map(holder, { attributionControl: true, worldCopyJump: true });
    map.attributionControl.setPrefix("").addAttribution("Natural Earth");
    var primary = data.primary || [], secondary = data.secondary || [];
    var links = data.links || {};
    L.geoJSON(world, {
      onEachFeature: function (f, layer) {
        var href = links[f.properties.code];
        if (href) { layer.on("click", function () { window.location.href = href; }); }
      },
      style: function (f) {
        var code = f.properties.code;
        var shade = primary.indexOf(code) >= 0 ? 0.35 : (secondary.indexOf(code) >= 0 ? 0.15 : 0);
        return { color: "#9aa3ad", weight: 0.7, fillColor: shade ? "#8a1c1c" : "#f4f1ea",
                 fillOpacity: shade || 1 };
      }
    }).addTo(map);
    L.geoJSON(data, {
      style: function (f) {
        var p = f.properties || {};
        if (f.geometry && f.geometry.type === "Point") {
          return { radius: 5, color: "#fff", weight: 1.5, fillColor: "#1f3b57", fillOpacity: 1 };
        }
        return { color: p.stroke || "#3d3d3d", weight: p["stroke-width"] || 2,
                 dashArray: p.style === "front" ? "6 4" : null,
                 fillColor: p.fill || "#b5651d", fillOpacity: p["fill-opacity"] || 0.3 };
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 5, color: "#fff", weight: 1.5,
                                        fillColor: "#1f3b57", fillOpacity: 1 });
      },
      onEachFeature: function (f, layer) {
        var p = f.properties || {};
        var text = p.label || p.legend || p.name;
        var isPlace = p.role === "place";
        if (text) {
          // a text node, never HTML: labels are written by editors and by the geoparser
          var label = document.createElement("span");
          label.textContent = String(text);
          // places are labelled as on the SVG; areas and lines name themselves on hover
          layer.bindTooltip(label, isPlace ? { permanent: true, direction: "right",
                                               className: "map-label", offset: [6, 0] } : {});
        }
        if (isPlace && typeof p.href === "string" && p.href.charAt(0) === "/") {
          var go = function () { window.location.href = p.href; };
          layer.on("click", function (e) { L.DomEvent.stopPropagation(e); go(); });
          // the label leads where its marker does
          layer.on("tooltipopen", function (e) {
            var el = e.tooltip.getElement();
            el.style.pointerEvents = "auto";
            el.style.cursor = "pointer";
            el.addEventListener("click", go);
          });
        }
      }
    }).addTo(map);
    map.on("zoomend", function () { declutter(holder); });
    var b = data.bbox;
    if (b) {
      var east = b[2] < b[0] ? b[2] + 360 : b[2];
      map.fitBounds([[b[1], b[0]], [b[3], east]]);
    } else {
      map.setView([20, 0], 2);
    }
  }

  // Place labels that would overlap one already shown are hidden, the first placed winning
  // (the features come most mentioned first), as on the SVG; zooming in brings them back.
  function declutter(holder) {
    var kept = [];
    Array.prototype.forEach.call(holder.querySelectorAll(".leaflet-tooltip.map-label"), function (tip) {
      tip.style.visibility = "";
      var r = tip.getBoundingClientRect();
      var hit = kept.some(function (k) {
        return r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom;
      });
      if (hit) { tip.style.visibility = "hidden"; } else { kept.push(r); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("figure[data-map]"), function (figure) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "map-explore";
    button.textContent = "Explore this map";
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = "Loading…";
      Promise.all([loadLeaflet(), fetch(figure.getAttribute("data-map")).then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      }), loadBasemap()]).then(function (results) {
        draw(results[0], figure, results[1], results[2]);
        declutter(figure);
        button.remove();
      }).catch(function () {
        button.disabled = false;
        button.textContent = "The interactive map could not load; the map above is complete";
      });
    });
    figure.appendChild(button);
  });
})();
