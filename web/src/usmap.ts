// The US states map from us-atlas (pre-projected Albers USA, 975 x 610),
// converted to GeoJSON with topojson-client and registered with ECharts once.
// Coordinates are already planar, so the map uses an identity projection.

import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import statesTopology from 'us-atlas/states-albers-10m.json';
import { echarts } from './charts';

export const STATE_NAMES: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
  MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
  NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
  VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  PR: 'Puerto Rico',
};

/// The state's name for a postal code or a name; null when unknown.
export function stateName(codeOrName: string): string | null {
  const code = codeOrName.trim().toUpperCase();
  if (STATE_NAMES[code]) return STATE_NAMES[code];
  const match = Object.values(STATE_NAMES).find((n) => n.toLowerCase() === codeOrName.trim().toLowerCase());
  return match ?? null;
}

let centroids: Map<string, [number, number]> | null = null;

function ringArea(ring: Position[]): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) area += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return area / 2;
}

function ringCentroid(ring: Position[]): [number, number] {
  let x = 0;
  let y = 0;
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
    a += f;
  }
  return a === 0 ? [ring[0][0], ring[0][1]] : [x / (3 * a), y / (3 * a)];
}

/// Centroid of a state's largest polygon (its mainland), in map coordinates.
function centroidOf(geometry: Geometry): [number, number] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  let best: Position[] | null = null;
  for (const polygon of polygons) if (!best || Math.abs(ringArea(polygon[0])) > Math.abs(ringArea(best))) best = polygon[0];
  return best ? ringCentroid(best) : [0, 0];
}

/// Registers the map "us-states" (once) and returns state centroids by name.
export function registerUsMap(): Map<string, [number, number]> {
  if (centroids) return centroids;
  const topology = statesTopology as unknown as Topology<{ states: GeometryCollection<{ name: string }> }>;
  const states = feature(topology, topology.objects.states) as FeatureCollection<Geometry, { name: string }>;
  centroids = new Map();
  for (const f of states.features as Feature<Geometry, { name: string }>[]) centroids.set(f.properties.name, centroidOf(f.geometry));
  echarts.registerMap('us-states', states as unknown as Parameters<typeof echarts.registerMap>[1]);
  return centroids;
}

/// Identity projection for pre-projected coordinates (y grows downwards).
export const IDENTITY_PROJECTION = {
  project: (point: number[]) => point,
  unproject: (point: number[]) => point,
};
