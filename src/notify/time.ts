/** Durations in config (`30m`, `12h`, `1d`, `2w`) and local-time questions (quiet hours, weeks). */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export function parseDuration(text: string): number {
  const m = /^(\d+)(m|h|d|w)$/.exec(text);
  if (!m) throw new Error(`not a duration: "${text}" (use 30m, 12h, 1d, 2w)`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  minutes: number;
  date: string;
  /** HH:MM */
  clock: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function localTime(at: Date, timezone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    weekday: WEEKDAYS.indexOf(get('weekday')),
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
    date: `${get('year')}-${get('month')}-${get('day')}`,
    clock: `${get('hour')}:${get('minute')}`,
  };
}

export interface QuietHoursSetting {
  start: string;
  end: string;
  timezone?: string | undefined;
  weekends: boolean;
  allowCritical: boolean;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `at` falls in the quiet hours (overnight windows such as 19:00–08:00 included). */
export function inQuietHours(at: Date, quiet: QuietHoursSetting, defaultZone: string): boolean {
  const local = localTime(at, quiet.timezone ?? defaultZone);
  if (quiet.weekends && (local.weekday === 0 || local.weekday === 6)) return true;
  const start = toMinutes(quiet.start);
  const end = toMinutes(quiet.end);
  if (start === end) return false;
  return start < end ? local.minutes >= start && local.minutes < end : local.minutes >= start || local.minutes < end;
}

/** The ISO date of the Monday starting the week `at` falls in, in the given zone. */
export function weekOf(at: Date, timezone: string): string {
  const local = localTime(at, timezone);
  const back = (local.weekday + 6) % 7;
  const d = new Date(`${local.date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

/** `2026-11-21 10:00 Europe/Berlin`: an instant as the audience reads it. */
export function formatInZone(at: Date, timezone: string): string {
  const local = localTime(at, timezone);
  return `${local.date} ${local.clock} ${timezone}`;
}
