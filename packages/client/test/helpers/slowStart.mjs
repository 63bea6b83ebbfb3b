// A stdio server that is slow to start: `node slowStart.mjs <delayMs> <script> [args…]` waits
// <delayMs> without reading stdin, then runs <script> with [args…] as its arguments (what
// `npx` downloading a package, or a heavy import, looks like to the client).
const [delay, script, ...args] = process.argv.slice(2);
await new Promise((resolve) => setTimeout(resolve, Number(delay)));
process.argv.splice(1, process.argv.length - 1, script, ...args);
await import(script);
