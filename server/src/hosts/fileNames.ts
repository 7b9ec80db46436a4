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
  // `serverless.yml`/`serverless.yaml` and `Pulumi.yaml` by base name (their host.ts); the yaml glob covers them.
  { id: 'serverless', languages: ['yaml'], extensions: [] },
  { id: 'pulumi', languages: ['yaml'], extensions: [] },
  // `.template.json`: CDK's and SAM's synthesized templates.
  { id: 'cloudformation', languages: ['yaml', 'cloudformation'], extensions: ['yaml', 'yml', 'template', 'template.json'] },
  // JSON policies and the JSON that tools render (Terraform templatefile, Jinja, ERB).
  { id: 'json', languages: ['iam-policy', 'json', 'jsonc'], extensions: ['json', 'json.tpl', 'json.tmpl', 'tftpl', 'j2', 'jinja', 'jinja2', 'erb'] },
];

const ALL_EXTENSIONS = HOST_FILE_NAMES.flatMap((h) => h.extensions);

/** A glob of every file a host may read (`**\/*.{json,yaml,...}`), for file watchers. */
export const HOST_FILE_GLOB = `**/*.{${[...new Set(ALL_EXTENSIONS.map((e) => e.split('.').pop()!))].join(',')}}`;

/** Each ending to its host; the first host to list an ending keeps it. */
const HOST_OF_EXTENSION = new Map<string, string>();
for (const host of HOST_FILE_NAMES) for (const e of host.extensions) if (!HOST_OF_EXTENSION.has(e)) HOST_OF_EXTENSION.set(e, host.id);

/**
 * Every ending in one pattern: the leftmost match is the longest ending (`.template.json` before
 * `.json`), so one test per file name, where the project walk asks for every file of a workspace.
 */
const EXTENSION = new RegExp(`\\.(${[...HOST_OF_EXTENSION.keys()].map((e) => e.replace(/\./g, '\\.')).join('|')})$`, 'i');

/** The id of the host whose file name ending this is, if any (the host that claims it by name). */
export function hostIdOfFileName(fileName: string): string | undefined {
  const match = EXTENSION.exec(fileName);
  return match ? HOST_OF_EXTENSION.get(match[1].toLowerCase()) : undefined;
}
