import { createRequire } from 'node:module';

import type * as Yaml from 'yaml';
import type { Alias, Document, Node, Scalar, YAMLMap, YAMLSeq, visitor } from 'yaml';

type YamlPackage = typeof Yaml;

let loaded: YamlPackage | undefined;

/**
 * The `yaml` package, loaded on first use. It places diagnostics; a valid
 * workflow never needs it, and loading it costs ~30 ms of every start.
 */
export function yamlPackage(): YamlPackage {
  loaded ??= createRequire(import.meta.url)('yaml') as YamlPackage;
  return loaded;
}

// The package's type guards and visitor, loading it when first called.
export const isAlias = (node: unknown): node is Alias => yamlPackage().isAlias(node);
export const isMap = (node: unknown): node is YAMLMap => yamlPackage().isMap(node);
export const isScalar = (node: unknown): node is Scalar => yamlPackage().isScalar(node);
export const isSeq = (node: unknown): node is YAMLSeq => yamlPackage().isSeq(node);
export const visit = (node: Document | Node, visitor: visitor): void => yamlPackage().visit(node, visitor);
/** Returned by a visitor to stop the walk. */
export const visitBreak = (): symbol => yamlPackage().visit.BREAK;
