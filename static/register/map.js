/* Draw each [data-map] container's GeoJSON monuments with Leaflet (served by this site, no CDN).
   Markers are HTML elements that need no tile: with no tile server reachable they still show on
   the container's plain background. Each marker is keyboard-focusable and opens a popup with a link. */
(function () {
  "use strict";

  function popupContent(properties, labels) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.page_url;
    link.textContent = properties.name;
    box.appendChild(link);
    if (properties.condition) {
      var condition = document.createElement("div");
      condition.textContent = labels[properties.condition] || properties.condition;
      box.appendChild(condition);
    }
    return box;
  }

  function draw(container) {
    var features = JSON.parse(document.getElementById(container.dataset.features).textContent);
    var labels = JSON.parse(document.getElementById(container.dataset.labels).textContent);
    var map = L.map(container, { scrollWheelZoom: false });
    if (container.dataset.tiles) {
      L.tileLayer(container.dataset.tiles, { attribution: container.dataset.attribution, maxZoom: 19 }).addTo(map);
    }
    var layer = L.geoJSON(features, {
      pointToLayer: function (feature, latlng) {
        var condition = feature.properties.condition || "unknown";
        return L.marker(latlng, {
          icon: L.divIcon({ className: "map-marker condition-" + condition, iconSize: [18, 18] }),
          title: feature.properties.name,
          keyboard: true,
          riseOnHover: true,
        });
      },
      onEachFeature: function (feature, marker) {
        marker.bindPopup(popupContent(feature.properties, labels));
        marker.on("add", function () {
          var element = marker.getElement();
          var label = feature.properties.name;
          if (feature.properties.condition) {
            label += ": " + (labels[feature.properties.condition] || feature.properties.condition);
          }
          element.setAttribute("aria-label", label);
          element.dataset.slug = feature.properties.slug;
        });
      },
    }).addTo(map);
    if (features.features.length > 1) {
      map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 15 });
    } else if (features.features.length === 1) {
      map.setView(layer.getBounds().getCenter(), 15);
    } else {
      map.setView([20, 20], 2);
    }
    container.dataset.ready = "true";
  }

  document.querySelectorAll("[data-map]").forEach(draw);
})();
