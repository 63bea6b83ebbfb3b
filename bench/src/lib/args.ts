/** Reads `--name value` pairs from argv; a bare `--flag` is `'true'`. */
export function parseArgs(argv: readonly string[] = process.argv.slice(2)): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key?.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out.set(key.slice(2), 'true');
    else {
      out.set(key.slice(2), next);
      i++;
    }
  }
  return out;
}

/** A required string argument. */
export function arg(args: Map<string, string>, name: string, fallback?: string): string {
  const value = args.get(name) ?? fallback;
  if (value === undefined) throw new Error(`missing --${name}`);
  return value;
}

/** A numeric argument. */
export function numArg(args: Map<string, string>, name: string, fallback: number): number {
  const raw = args.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${raw}`);
  return n;
}
