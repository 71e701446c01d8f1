// Number formatting with units, for tables and chart labels.

const compact = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const text = abs >= 1e9 ? `${compact.format(abs / 1e9)}B`
    : abs >= 1e6 ? `${compact.format(abs / 1e6)}M`
    : abs >= 1e3 ? `${compact.format(abs / 1e3)}k`
    : compact.format(abs);
  // The sign before the $, and none for what shows as 0 (a -0.0001 difference is "$0", not "$-0").
  return value < 0 && /[1-9]/.test(text) ? `-$${text}` : `$${text}`;
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

// ---- weeks as dates (the TS twin of src/model/iso_week.*) ----

const DAY_MS = 86_400_000;

/// Monday (UTC ms) of ISO week 1 of `year`: the Monday on or before 4 January.
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const isoWeekday = (new Date(jan4).getUTCDay() + 6) % 7;  // 0 = Monday .. 6 = Sunday
  return jan4 - isoWeekday * DAY_MS;
}

/// Monday (UTC ms) of plan week `week` when week 0 is `startWeek` ("2026-W01"); null when malformed.
export function mondayOf(startWeek: string, week: number): number | null {
  const match = /^(\d{4})-W(\d{2})$/.exec(startWeek);
  if (!match) return null;
  const isoWeek = Number(match[2]);
  if (isoWeek < 1 || isoWeek > 53) return null;
  return isoWeekOneMonday(Number(match[1])) + 7 * (isoWeek - 1 + week) * DAY_MS;
}

/// "2026-W36" for plan week `week`; "" when startWeek is malformed.
export function isoWeekOf(startWeek: string, week: number): string {
  const monday = mondayOf(startWeek, week);
  if (monday === null) return '';
  const year = new Date(monday + 3 * DAY_MS).getUTCFullYear();  // the ISO year is the year of the week's Thursday
  const number = Math.round((monday - isoWeekOneMonday(year)) / DAY_MS / 7) + 1;
  return `${year}-W${String(number).padStart(2, '0')}`;
}

/// The Monday of plan week `week` as "2026-08-31"; "" when startWeek is malformed.
export function isoMondayOf(startWeek: string, week: number): string {
  const monday = mondayOf(startWeek, week);
  return monday === null ? '' : new Date(monday).toISOString().slice(0, 10);
}

/// How the dashboard shows the weeks of one scenario.
export interface WeekFormat {
  /// "2026-W36" (or "W36" when the scenario has no usable start_week).
  iso(week: number): string;
  /// "2026-08-31" (Monday), or "".
  date(week: number): string;
  /// "2026-W36 · Mon 2026-08-31": table cells and tooltips.
  label(week: number): string;
  /// "2026-W03 – 2026-W07 (2026-01-12 – 2026-02-15)": a range of weeks, Monday of the first to Sunday of the last.
  range(first: number, last: number): string;
}

export function weekFormat(startWeek: string): WeekFormat {
  const iso = (w: number) => isoWeekOf(startWeek, w) || `W${w}`;
  const date = (w: number) => isoMondayOf(startWeek, w);
  const sunday = (w: number) => {
    const monday = mondayOf(startWeek, w);
    return monday === null ? '' : new Date(monday + 6 * DAY_MS).toISOString().slice(0, 10);
  };
  return {
    iso,
    date,
    label: (w) => (date(w) ? `${iso(w)} · Mon ${date(w)}` : iso(w)),
    range: (first, last) => {
      if (first === last) return date(first) ? `${iso(first)} (${date(first)} – ${sunday(first)})` : iso(first);
      return date(first) ? `${iso(first)} – ${iso(last)} (${date(first)} – ${sunday(last)})` : `${iso(first)} – ${iso(last)}`;
    },
  };
}

/// Consecutive runs of a sorted list of weeks: [[3, 5], [9, 9]].
export function weekRanges(weeks: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const w of weeks) {
    const last = out[out.length - 1];
    if (last && w === last[1] + 1) last[1] = w;
    else out.push([w, w]);
  }
  return out;
}
