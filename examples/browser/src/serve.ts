import { servePage } from './servePage.js';

// `pnpm --filter @tidings/example-browser serve [pagePort] [mcpPort]`: open a printed URL in a browser.
// pnpm hands a `--` separator through to the script; it is not a port.
const [pagePort, mcpPort] = process.argv.slice(2).filter((arg) => arg !== '--').map(Number);
const served = await servePage({ page: pagePort || 8080, mcp: mcpPort || 3000 });
console.log(`Tidings in a browser: the reference server is at ${served.mcpUrl} (it allows ${served.pageOrigin})`);
console.log(`  legacy era (2025-11-25 session): ${served.pageUrl('legacy')}`);
console.log(`  modern era (2026-07-28):         ${served.pageUrl('modern')}`);
const stop = (): void => void served.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
