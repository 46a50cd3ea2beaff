/**
 * The shipped deploy assets as the tests read them: paths under `deploy/`, YAML through the strict subset
 * reader, dashboards as Grafana JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseYaml, parseYamlDocuments } from '../../helpers/yaml-subset.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export function deployPath(relative: string): string {
  return `${REPO}deploy/${relative}`;
}

export function readDeploy(relative: string): string {
  return readFileSync(deployPath(relative), 'utf8');
}

export function deployYaml<T = Record<string, unknown>>(relative: string): T {
  return parseYaml(readDeploy(relative)) as T;
}

export function deployYamlDocuments<T = Record<string, unknown>>(relative: string): T[] {
  return parseYamlDocuments(readDeploy(relative)) as T[];
}

/** Files of a deploy directory ending with `suffix`, sorted. */
export function deployFiles(dir: string, suffix: string): string[] {
  return readdirSync(deployPath(dir))
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => `${dir}/${f}`);
}

export interface GrafanaTarget {
  readonly expr: string;
  readonly legendFormat: string;
  readonly refId: string;
  readonly instant: boolean;
  readonly datasource: { type: string; uid: string };
}

export interface GrafanaPanel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { h: number; w: number; x: number; y: number };
  readonly datasource?: { type: string; uid: string };
  readonly targets?: readonly GrafanaTarget[];
}

export interface GrafanaVariable {
  readonly name: string;
  readonly type: string;
  readonly query: string | { query: string };
  readonly definition?: string;
  readonly datasource?: { type: string; uid: string };
}

export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly GrafanaPanel[];
  readonly templating: { readonly list: readonly GrafanaVariable[] };
}

export function dashboards(): { file: string; dashboard: GrafanaDashboard }[] {
  return deployFiles('grafana/dashboards', '.json').map((file) => ({
    file,
    dashboard: JSON.parse(readDeploy(file)) as GrafanaDashboard,
  }));
}

export interface PromRule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** Every rule of every shipped rule file, with the file it came from. */
export function rules(): { file: string; group: string; rule: PromRule }[] {
  return deployFiles('prometheus/rules', '.rules.yml').flatMap((file) =>
    deployYaml<{ groups: { name: string; rules: PromRule[] }[] }>(file).groups.flatMap((g) =>
      g.rules.map((rule) => ({ file, group: g.name, rule })),
    ),
  );
}
