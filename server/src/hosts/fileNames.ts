/**
 * The file names each host reads, as data: the hosts' registry, the project's file walk, and the
 * editor client's document selector and file watcher (through protocol.ts) all read them here.
 * Data only, no imports: the client bundles this file.
 */
export interface HostFileNames {
  /** The host's id (`PolicySource.host`). */
  id: string;
  /** Editor languages whose documents the host may read. */
  languages: readonly string[];
  /** File name endings, without the dot, longest first where one ends another (`json.tpl` before `json`). */
  extensions: readonly string[];
}

export const HOST_FILE_NAMES: readonly HostFileNames[] = [
  { id: 'terraform', languages: ['terraform', 'opentofu'], extensions: ['tf', 'tofu'] },
  // Terraform's JSON syntax, before the JSON host's `.json`.
  { id: 'terraform-json', languages: ['json'], extensions: ['tf.json', 'tofu.json'] },
  // `serverless.yml`/`serverless.yaml` by base name (serverless/host.ts); the yaml glob covers them.
  { id: 'serverless', languages: ['yaml'], extensions: [] },
  // `.template.json`: CDK's and SAM's synthesized templates.
  { id: 'cloudformation', languages: ['yaml', 'cloudformation'], extensions: ['yaml', 'yml', 'template', 'template.json'] },
  // JSON policies and the JSON that tools render (Terraform templatefile, Jinja, ERB).
  { id: 'json', languages: ['iam-policy', 'json', 'jsonc'], extensions: ['json', 'json.tpl', 'json.tmpl', 'tftpl', 'j2', 'jinja', 'jinja2', 'erb'] },
];

const ALL_EXTENSIONS = HOST_FILE_NAMES.flatMap((h) => h.extensions);

/** A glob of every file a host may read (`**\/*.{json,yaml,...}`), for file watchers. */
export const HOST_FILE_GLOB = `**/*.{${[...new Set(ALL_EXTENSIONS.map((e) => e.split('.').pop()!))].join(',')}}`;

/** The id of the host whose file name ending this is, if any (the host that claims it by name). */
export function hostIdOfFileName(fileName: string): string | undefined {
  const lower = fileName.toLowerCase();
  for (const host of HOST_FILE_NAMES) if (host.extensions.some((e) => lower.endsWith(`.${e}`))) return host.id;
  return undefined;
}
