// Number formatting with units, for tables and chart labels.

const compact = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `$${compact.format(value / 1e9)}B`;
  if (abs >= 1e6) return `$${compact.format(value / 1e6)}M`;
  if (abs >= 1e3) return `$${compact.format(value / 1e3)}k`;
  return `$${compact.format(value)}`;
}

export function racks(value: number | null | undefined, unit = 'racks'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${whole.format(value)} ${unit}`;
}

export function pct(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${compact.format(share * 100)} %`;
}

export function num(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const text = Math.abs(value) >= 100 ? whole.format(value) : compact.format(value);
  return unit ? `${text} ${unit}` : text;
}

/// Units of the design-rule need/have columns, by rule name.
export const RULE_UNITS: Record<string, string> = {
  power: 'W',
  busbar: 'A',
  'liquid cooling': 'W',
  'air cooling': 'W',
  weight: 'kg',
  'floor load': 'kg/m²',
  'rack units': 'U',
  ports: 'ports',
  accelerators: 'accelerators',
  'rack power': 'kW',
  date: 'week',
};
