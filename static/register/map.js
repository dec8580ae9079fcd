/* Draw each [data-map] container's GeoJSON monuments with Leaflet (served by this site, no CDN).
   Under them lies a basemap this site serves too (Natural Earth land, lakes, rivers and borders as TopoJSON),
   so the map shows where things are with no tile server reachable; tiles, where configured, cover it as they
   arrive. A monument with an extent is drawn as its outline with its marker; markers are HTML elements, each
   keyboard-focusable, opening a popup with a link.
   Every word a person reads comes from the page, translated by Django (_map.html): this script holds none. In a
   right-to-left page the controls stand mirrored: zoom on the start side (right), attribution on the end side. */
(function () {
  "use strict";

  // Leaflet's tile pane stands at z-index 200: the basemap goes under it, so tiles that arrive cover it.
  var BASEMAP_Z_INDEX = 150;
  // Drawn in this order, each as one path; site.css colours them.
  var BASEMAP_LAYERS = [
    { name: "land", options: { stroke: true, fill: true } },
    { name: "lakes", options: { stroke: false, fill: true } },
    { name: "rivers", options: { stroke: true, fill: false } },
    { name: "borders", options: { stroke: true, fill: false } },
  ];

  function drawBasemap(map, container) {
    var address = container.dataset.basemap;
    if (!address || typeof topojson === "undefined") {
      return;
    }
    if (container.dataset.basemapAttribution) {
      map.attributionControl.addAttribution(container.dataset.basemapAttribution);
    }
    map.createPane("basemap").style.zIndex = BASEMAP_Z_INDEX;
    var renderer = L.svg({ pane: "basemap" });
    fetch(address, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("The basemap answered " + response.status + ".");
        }
        return response.json();
      })
      .then(function (topology) {
        BASEMAP_LAYERS.forEach(function (layer) {
          var options = L.extend({ pane: "basemap", renderer: renderer, interactive: false }, layer.options);
          options.className = "basemap-" + layer.name;
          L.geoJSON(topojson.feature(topology, topology.objects[layer.name]), options).addTo(map);
        });
        container.dataset.basemapReady = "true";
      })
      .catch(function (error) {
        // The markers stand on the plain background instead; nothing else depends on the basemap.
        container.dataset.basemapReady = "failed";
        console.error(error);
      });
  }

  // A name keeps its own direction inside text of the other one: "Tetrapylon" in an Arabic popup, or an Arabic
  // name in an English one.
  function isolatedName(name) {
    var isolate = document.createElement("bdi");
    isolate.textContent = name;
    return isolate;
  }

  function popupContent(properties, labels, roundedNote) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.page_url;
    link.appendChild(isolatedName(properties.name));
    box.appendChild(link);
    if (properties.condition) {
      var condition = document.createElement("div");
      condition.textContent = labels[properties.condition] || properties.condition;
      box.appendChild(condition);
    }
    if (properties.sensitive && roundedNote) {
      var note = document.createElement("div");
      note.className = "map-popup-note";
      note.textContent = roundedNote;
      box.appendChild(note);
    }
    return box;
  }

  // Fill a translated sentence's %(name)s placeholders; the name is isolated so it cannot reorder the sentence.
  function fillIn(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (placeholder, key) {
      return key in values ? "\u2068" + values[key] + "\u2069" : placeholder;
    });
  }

  function markerFor(feature, labels, roundedNote, markerLabel) {
    var properties = feature.properties;
    var condition = properties.condition || "unknown";
    var marker = L.marker([properties.latitude, properties.longitude], {
      icon: L.divIcon({ className: "map-marker condition-" + condition, iconSize: [18, 18] }),
      title: properties.name,
      keyboard: true,
      riseOnHover: true,
    });
    marker.bindPopup(popupContent(properties, labels, roundedNote));
    marker.on("add", function () {
      var element = marker.getElement();
      var label = properties.name;
      if (properties.condition && markerLabel) {
        label = fillIn(markerLabel, {
          name: properties.name,
          condition: labels[properties.condition] || properties.condition,
        });
      }
      element.setAttribute("aria-label", label);
      element.dataset.slug = properties.slug;
    });
    return marker;
  }

  function outlineFor(feature, labels, roundedNote) {
    var outline = L.geoJSON(feature, {
      className: "map-extent condition-" + (feature.properties.condition || "unknown"),
    });
    outline.eachLayer(function (layer) {
      layer.on("add", function () {
        layer.getElement().dataset.slug = feature.properties.slug;
      });
    });
    outline.bindPopup(popupContent(feature.properties, labels, roundedNote));
    return outline;
  }

  function draw(container) {
    var features = JSON.parse(document.getElementById(container.dataset.features).textContent).features;
    var labels = JSON.parse(document.getElementById(container.dataset.labels).textContent);
    var roundedNote = container.dataset.roundedNote;
    var markerLabel = container.dataset.markerLabel;
    var rightToLeft = getComputedStyle(container).direction === "rtl";
    var map = L.map(container, { scrollWheelZoom: false, zoomControl: false });
    L.control
      .zoom({
        position: rightToLeft ? "topright" : "topleft",
        zoomInTitle: container.dataset.zoomIn,
        zoomOutTitle: container.dataset.zoomOut,
      })
      .addTo(map);
    map.attributionControl.setPosition(rightToLeft ? "bottomleft" : "bottomright");
    if (container.dataset.attributionPrefix) {
      map.attributionControl.setPrefix(container.dataset.attributionPrefix);
    }
    // Leaflet names a popup's close button in English; the page gives the name in the reader's language.
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && container.dataset.closePopup) {
        close.setAttribute("aria-label", container.dataset.closePopup);
      }
    });
    drawBasemap(map, container);
    if (container.dataset.tiles) {
      L.tileLayer(container.dataset.tiles, { attribution: container.dataset.attribution, maxZoom: 19 }).addTo(map);
    }
    var outlines = L.featureGroup();
    var markers = L.featureGroup();
    features.forEach(function (feature) {
      if (feature.geometry.type !== "Point") {
        outlines.addLayer(outlineFor(feature, labels, roundedNote));
      }
      markers.addLayer(markerFor(feature, labels, roundedNote, markerLabel));
    });
    outlines.addTo(map);
    markers.addTo(map);
    var bounds = markers.getBounds();
    if (outlines.getLayers().length) {
      bounds.extend(outlines.getBounds());
    }
    if (features.length > 1 || outlines.getLayers().length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    } else if (features.length === 1) {
      // A sensitive place's point is rounded to about 11 km: a close view would claim a precision it lacks.
      map.setView(bounds.getCenter(), features[0].properties.sensitive ? 10 : 15);
    } else {
      map.setView([20, 20], 2);
    }
    container.dataset.ready = "true";
  }

  document.querySelectorAll("[data-map]").forEach(draw);
})();
