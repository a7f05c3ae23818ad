import type { TypeCategory, WorkItem } from '../model/work-item.ts';
import { matchesValue } from '../util/match.ts';

/** A field condition: a value (or any of several) compared as text, or `true` for "set and not empty". */
export type FieldCondition = string | number | boolean | Array<string | number>;

export interface TypeMappingMatch {
  source?: string | string[] | undefined;
  project?: string | string[] | undefined;
  type?: string | string[] | undefined;
  typeCategory?: TypeCategory | TypeCategory[] | undefined;
  /** Any of these labels. */
  labels?: string[] | undefined;
  /** Raw fields (`item.fields`), all must hold. */
  fields?: Record<string, FieldCondition> | undefined;
}

/** `typeMapping[]`: classify work by type and label or field, since every site models it differently. */
export interface TypeMappingEntry {
  match: TypeMappingMatch;
  /** Re-classifies the item for every rule (e.g. a Task labelled `risk` counts as a risk). */
  typeCategory?: TypeCategory | undefined;
  /** Adds a class overrides and custom rules can match (e.g. a Bug labelled `incident`). */
  class?: string | undefined;
}

export interface Classified {
  item: WorkItem;
  classes: string[];
}


function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function fieldHolds(value: unknown, condition: FieldCondition): boolean {
  if (condition === true) return !isEmpty(value);
  if (condition === false) return isEmpty(value);
  if (isEmpty(value)) return false;
  const have = Array.isArray(value) ? value.map(String) : [String(value)];
  const want = Array.isArray(condition) ? condition.map(String) : [String(condition)];
  return have.some((h) => want.includes(h));
}

export function typeMappingMatches(match: TypeMappingMatch, item: WorkItem): boolean {
  if (!matchesValue(match.source, item.source) || !matchesValue(match.project, item.project)) return false;
  if (!matchesValue(match.type, item.type) || !matchesValue(match.typeCategory, item.typeCategory)) return false;
  if (match.labels && !match.labels.some((l) => item.labels.includes(l))) return false;
  for (const [name, condition] of Object.entries(match.fields ?? {})) {
    if (!fieldHolds(item.fields[name], condition)) return false;
  }
  return true;
}

/**
 * Applies the mapping: the first matching entry that names a `typeCategory` decides it (the item's
 * own category otherwise); every matching entry's `class` is collected. The item is copied only when
 * its category changes.
 */
export function classify(entries: readonly TypeMappingEntry[], item: WorkItem): Classified {
  if (entries.length === 0) return { item, classes: [] };
  let category: TypeCategory | undefined;
  const classes: string[] = [];
  for (const entry of entries) {
    if (!typeMappingMatches(entry.match, item)) continue;
    if (category === undefined && entry.typeCategory !== undefined) category = entry.typeCategory;
    if (entry.class !== undefined && !classes.includes(entry.class)) classes.push(entry.class);
  }
  const mapped = category === undefined || category === item.typeCategory ? item : { ...item, typeCategory: category };
  return { item: mapped, classes };
}
