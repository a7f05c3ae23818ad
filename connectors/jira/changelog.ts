import type { FieldChange, StatusCategory, StatusTransition } from '../../src/model/work-item.ts';
import type { FieldMap } from './fields.ts';
import type { JiraChangeItem, JiraHistory } from './schema.ts';
import { toIsoInstant } from './time.ts';

/**
 * Changelog → status transitions and the history of the fields rules look at. Items are matched by
 * `fieldId` (Cloud) or, when only the display name is there (Data Center), by name.
 */

export type HistoryField = 'sprint' | 'estimate' | 'assignee' | 'dueDate' | 'priority' | 'labels' | 'flagged' | 'parent' | 'epic' | 'resolution';

/** Resolves a status id (or, for statuses deleted since, its name) to its category. */
export type StatusCategoryOf = (id: string | null, name: string | null) => StatusCategory | null;

const SYSTEM: Record<string, HistoryField> = {
  assignee: 'assignee',
  duedate: 'dueDate',
  priority: 'priority',
  labels: 'labels',
  resolution: 'resolution',
  parent: 'parent',
  issueparentassociation: 'parent',
};

export function historyFieldResolver(map: FieldMap): (item: JiraChangeItem) => HistoryField | 'status' | null {
  const byId = new Map<string, HistoryField>();
  const set = (id: string | null, f: HistoryField): void => {
    if (id !== null) byId.set(id, f);
  };
  set(map.sprint, 'sprint');
  for (const id of map.storyPoints) set(id, 'estimate');
  set(map.flagged, 'flagged');
  set(map.epicLink, 'epic');
  set(map.parentLink, 'parent');
  const byName = new Map<string, HistoryField>();
  for (const [id, f] of byId) {
    const name = map.names.get(id);
    if (name) byName.set(name.toLowerCase(), f);
  }
  // Data Center changelogs name these fields without ids.
  byName.set('sprint', byName.get('sprint') ?? 'sprint');
  byName.set('story points', byName.get('story points') ?? 'estimate');
  byName.set('story point estimate', byName.get('story point estimate') ?? 'estimate');
  byName.set('epic link', byName.get('epic link') ?? 'epic');
  byName.set('parent link', byName.get('parent link') ?? 'parent');
  byName.set('flagged', byName.get('flagged') ?? 'flagged');
  return (item) => {
    const id = item.fieldId ?? null;
    const name = item.field.toLowerCase();
    if (id === 'status' || (id === null && name === 'status')) return 'status';
    if (id !== null) return byId.get(id) ?? SYSTEM[id.toLowerCase()] ?? null;
    return byName.get(name) ?? SYSTEM[name] ?? null;
  };
}

export interface ItemHistory {
  transitions: StatusTransition[];
  history: FieldChange[];
}

export function readChangelog(histories: readonly JiraHistory[], fieldOf: ReturnType<typeof historyFieldResolver>, categoryOf: StatusCategoryOf): ItemHistory {
  const sorted = [...histories]
    .map((h) => ({ h, at: toIsoInstant(h.created) }))
    .filter((x): x is { h: JiraHistory; at: string } => x.at !== null)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : Number(a.h.id ?? 0) - Number(b.h.id ?? 0)));
  const transitions: StatusTransition[] = [];
  const history: FieldChange[] = [];
  const seen = new Set<string>();
  for (const { h, at } of sorted) {
    // The embedded and the fetched changelog overlap: keep each history entry once.
    if (h.id !== undefined) {
      if (seen.has(h.id)) continue;
      seen.add(h.id);
    }
    const by = h.author ? (h.author.displayName ?? h.author.name ?? h.author.accountId ?? null) : null;
    for (const item of h.items) {
      const field = fieldOf(item);
      if (field === null) continue;
      if (field === 'status') {
        const to = item.toString ?? null;
        const toCategory = categoryOf(item.to ?? null, to);
        if (to === null || toCategory === null) continue;
        const from = item.fromString ?? null;
        transitions.push({ at, from, to, fromCategory: from === null && item.from == null ? null : categoryOf(item.from ?? null, from), toCategory, by });
        continue;
      }
      // Sprint changes keep ids (names are renamed; ids are what sprint records are keyed by).
      const useIds = field === 'sprint';
      history.push({
        at,
        field,
        from: (useIds ? item.from : item.fromString) ?? null,
        to: (useIds ? item.to : item.toString) ?? null,
        by,
      });
    }
  }
  return { transitions, history };
}
