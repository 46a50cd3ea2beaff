/**
 * The dashboard's HTML: the import map that lets the browser load our modules and the packages they
 * import straight from `node_modules`, the page's configuration, its stylesheet, and the entry module.
 * Everything else is built by the entry module.
 */

export interface PageOptions {
  readonly title: string;
  readonly scrapeIntervalMs: number;
  /** Bare specifiers (and extensionless relative URLs) to the URLs of their files. */
  readonly imports: Readonly<Record<string, string>>;
  readonly stylesheets: readonly string[];
  readonly entry: string;
}

/** JSON that is safe inside a `<script>` element: no `</script>` or `<!--` can close or comment it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: dark; --bg: #111217; --panel: #181b1f; --border: #2c3036; --text: #ccccdc; --muted: #8e8e9e;
  --ok: #73bf69; --bad: #f2495c; --accent: #3d71d9; }
* { box-sizing: border-box; }
body { margin: 0; padding: 0 16px 24px; background: var(--bg); color: var(--text);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { display: flex; gap: 8px; align-items: center; padding: 12px 0; flex-wrap: wrap; }
header h1 { font-size: 18px; margin: 0 16px 0 0; font-weight: 500; }
select, button { background: var(--panel); color: var(--text); border: 1px solid var(--border); border-radius: 4px;
  padding: 4px 8px; font: inherit; }
button { cursor: pointer; } button:hover { border-color: var(--accent); }
#updated { color: var(--muted); margin-left: auto; }
.targets { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 12px; }
.targets .label { color: var(--muted); }
.target { padding: 2px 8px; border-radius: 10px; border: 1px solid var(--border); }
.target.up { border-color: var(--ok); } .target.down { border-color: var(--bad); color: var(--bad); }
h2 { font-size: 14px; font-weight: 500; margin: 20px 0 8px; color: var(--muted); }
.grid { display: grid; gap: 8px; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); }
.row-overview .grid { grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); }
.panel { background: var(--panel); border: 1px solid var(--border); border-radius: 4px; padding: 8px; min-width: 0; }
.panel h3 { font-size: 13px; font-weight: 500; margin: 0 0 4px; }
.panel .status { min-height: 1.2em; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.panel .status.error { color: var(--bad); white-space: pre-wrap; }
.panel.stat .value { font-size: 28px; font-weight: 500; }
.query .query-input { display: flex; gap: 8px; align-items: stretch; }
.query .editor { flex: 1; border: 1px solid var(--border); border-radius: 4px; min-width: 0; }
.query .cm-editor { background: #0b0c0e; } .query .cm-editor.cm-focused { outline: 1px solid var(--accent); }
.query .cm-content { font-family: ui-monospace, Menlo, Consolas, monospace; }
.query-chart { margin-top: 8px; }
.uplot { font-family: inherit; } .u-legend { font-size: 11px; color: var(--text); }
.u-legend .u-series > * { padding: 1px 4px; }
`;

export function pageHtml(options: PageOptions): string {
  const config = { title: options.title, scrapeIntervalMs: options.scrapeIntervalMs };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
${options.stylesheets.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')}
<style>${STYLE}</style>
<script type="importmap">${scriptJson({ imports: options.imports })}</script>
<script id="dashboard-config" type="application/json">${scriptJson(config)}</script>
<script type="module" src="${escapeHtml(options.entry)}"></script>
</head>
<body><p>Loading the dashboard…</p></body>
</html>
`;
}
