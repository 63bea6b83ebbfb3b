import type { Outcome } from '../report.js';
import { median } from './stats.js';

/**
 * One outcome per case from several interleaved passes (raw, Tidings, SDKs,
 * raw, …): each metric is the median of the passes that produced a result,
 * so one scheduler hiccup during one implementation's turn no longer decides
 * its row. A case that failed in every pass stays failed.
 */
export function mergePasses(passes: readonly Outcome[]): Outcome {
  const first = passes[0]!;
  const results = passes.flatMap((o) => (o.result ? [o.result] : []));
  const wallMs = passes.reduce((sum, o) => sum + o.wallMs, 0);
  if (results.length === 0) return { ...first, wallMs };
  const metrics: Record<string, number> = {};
  for (const name of Object.keys(results[0]!.metrics)) metrics[name] = median(results.map((r) => r.metrics[name]!));
  const notes = [...new Set(results.flatMap((r) => r.notes ?? []))];
  const failed = passes.length - results.length;
  if (failed > 0) notes.push(`${failed} of ${passes.length} passes failed: ${passes.find((o) => o.error)?.error ?? ''}`);
  return { spec: first.spec, result: { ...results[0]!, metrics, notes }, wallMs };
}
