/**
 * Turns a group's outcomes into a table: printed for people, kept as plain data
 * for `--json`. Ratios are always Tidings ÷ a row of the same table (same run).
 */
import type { CaseResult } from './lib/result.js';
import { columns, fmt } from './lib/format.js';
import { WIRE_IMPLS, WIRE_NAMES, type CaseSpec, type Group } from './groups.js';
import type { WireName } from './cases/burstClient.js';

/** What running one case gave. */
export interface Outcome {
  readonly spec: CaseSpec;
  readonly result?: CaseResult;
  readonly error?: string;
  readonly wallMs: number;
}

/** One row of a table as data. */
export interface TableRow {
  readonly impl: string;
  readonly label: string;
  readonly metrics?: Record<string, number>;
  /** `T/raw <metric>`, `T/v1 <metric>`, `T/v2 <metric>` → ratio (Tidings rows only; absent when the other row is). */
  readonly ratios?: Record<string, number>;
  readonly error?: string;
  readonly notes?: readonly string[];
}

/** One table as data (what `--json` writes). */
export interface Table {
  readonly id: string;
  readonly title: string;
  readonly measures?: Group['measures'];
  readonly ratioNote: string;
  readonly rows: readonly TableRow[];
  readonly footnotes: readonly string[];
}

const PEERS: readonly (readonly [string, string])[] = [
  ['raw', 'T/raw'],
  ['sdk-v1', 'T/v1'],
  ['sdk-v2', 'T/v2'],
];

function divide(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return undefined;
  return a / b;
}

/** The table of `group` from its outcomes. */
export function toTable(group: Group, outcomes: readonly Outcome[]): Table {
  const find = (impl: string): CaseResult | undefined => outcomes.find((o) => o.spec.impl === impl && o.result)?.result;
  const rows = outcomes.map((outcome): TableRow => {
    const base = { impl: outcome.spec.impl, label: outcome.spec.label };
    if (!outcome.result) return { ...base, error: outcome.error ?? 'no result' };
    const metrics = outcome.result.metrics;
    const ratios: Record<string, number> = {};
    if (outcome.spec.impl.startsWith('tidings')) {
      for (const metric of group.ratioMetrics) {
        for (const [impl, name] of group.peers ?? PEERS) {
          const value = divide(metrics[metric], find(impl)?.metrics[metric]);
          if (value !== undefined) ratios[`${name} ${metric}`] = value;
        }
      }
    }
    return { ...base, metrics, ratios, notes: outcome.result.notes ?? [] };
  });
  return { id: group.id, title: group.title, measures: group.measures, ratioNote: group.ratioNote, rows, footnotes: group.footnotes ?? [] };
}

const shownRatio = (value: number | undefined): string => (value === undefined ? '—' : `${value.toFixed(2)}×`);

/** Prints a table with aligned columns, its notes and footnotes. */
export function printTable(group: Group, table: Table): void {
  const header = ['', ...group.columns.map((c) => c.title)];
  for (const metric of group.ratioMetrics) {
    const column = group.columns.find((c) => c.metric === metric);
    const suffix = group.ratioMetrics.length > 1 ? ` ${column?.short ?? column?.title ?? metric}` : '';
    for (const [, name] of group.peers ?? PEERS) header.push(`${name}${suffix}`);
  }
  const lines: string[][] = [header];
  const notes: string[] = [];
  for (const row of table.rows) {
    if (!row.metrics) {
      lines.push([row.label, `FAILED: ${row.error}`]);
      continue;
    }
    const line = [row.label, ...group.columns.map((c) => fmt(row.metrics![c.metric]))];
    if (row.impl.startsWith('tidings')) {
      for (const metric of group.ratioMetrics) for (const [, name] of group.peers ?? PEERS) line.push(shownRatio(row.ratios?.[`${name} ${metric}`]));
    }
    lines.push(line);
    for (const note of row.notes ?? []) notes.push(`${row.label}: ${note}`);
  }
  console.log(`\n${table.title}`);
  console.log(`  (T = this Tidings row; ${table.ratioNote})`);
  for (const line of columns(lines)) console.log(`  ${line}`);
  for (const note of notes) console.log(`  ! ${note}`);
  for (const footnote of table.footnotes) console.log(`  · ${footnote}`);
}

/** One line of the issue-15 summary: a transport and era against its raw ceiling. */
export interface SummaryRow {
  readonly transport: string;
  readonly impl: string;
  readonly throughputVsRaw?: number;
  readonly lost?: number;
  readonly p99VsRaw?: number;
  readonly p99Ms?: number;
  readonly rawP99Ms?: number;
}

/** Per transport and era, throughput ÷ raw and latency p99 ÷ raw, from the tables of this run. */
export function summarise(tables: readonly Table[]): SummaryRow[] {
  const out: SummaryRow[] = [];
  for (const wire of Object.keys(WIRE_IMPLS) as WireName[]) {
    const throughput = tables.find((t) => t.measures?.kind === 'throughput' && t.measures.wire === wire);
    const latency = tables.find((t) => t.measures?.kind === 'latency' && t.measures.wire === wire);
    if (!throughput && !latency) continue;
    for (const impl of WIRE_IMPLS[wire].filter((i) => i.startsWith('tidings'))) {
      const t = throughput?.rows.find((r) => r.impl === impl);
      const l = latency?.rows.find((r) => r.impl === impl);
      out.push({
        transport: `${WIRE_NAMES[wire]}, ${impl === 'tidings' ? 'modern' : 'legacy'}`,
        impl,
        throughputVsRaw: t?.ratios?.['T/raw rate'],
        lost: t?.metrics?.lost,
        p99VsRaw: l?.ratios?.['T/raw pacedP99Ms'],
        p99Ms: l?.metrics?.pacedP99Ms,
        rawP99Ms: latency?.rows.find((r) => r.impl === 'raw')?.metrics?.pacedP99Ms,
      });
    }
  }
  return out;
}

/** Prints the summary against the DESIGN §5 targets (throughput ≥ 0.8× raw, p99 ≤ 1.5× raw, zero loss). */
export function printSummary(rows: readonly SummaryRow[]): void {
  if (rows.length === 0) return;
  const lines = [['', 'throughput ÷ raw', 'lost', 'p99 ms', 'raw p99 ms', 'p99 ÷ raw']];
  for (const row of rows) {
    lines.push([row.transport, shownRatio(row.throughputVsRaw), fmt(row.lost), fmt(row.p99Ms), fmt(row.rawP99Ms), shownRatio(row.p99VsRaw)]);
  }
  console.log('\nSummary (issue 15): every transport and era against the raw ceiling of the same run');
  console.log('  (targets, DESIGN §5: throughput ≥ 0.80×, latency p99 ≤ 1.50×, lost 0)');
  for (const line of columns(lines)) console.log(`  ${line}`);
}
