import { CST, Parser } from 'yaml';

/**
 * How deeply the collections of a YAML text nest, measured on the concrete
 * syntax tree without recursion. The `yaml` composer recurses once per level,
 * so very deep input must be refused before it is composed.
 */
export function nestingDepth(text: string): number {
  const pending: Array<{ token: CST.Token | null | undefined; depth: number }> =
    [];
  for (const token of new Parser().parse(text)) {
    pending.push({ token, depth: 0 });
  }
  let deepest = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { token, depth } = next;
    deepest = Math.max(deepest, depth);
    if (token?.type === 'document') {
      pending.push({ token: token.value, depth });
    } else if (
      token?.type === 'block-map' ||
      token?.type === 'block-seq' ||
      token?.type === 'flow-collection'
    ) {
      for (const item of token.items as CST.CollectionItem[]) {
        pending.push({ token: item.key, depth: depth + 1 });
        pending.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return deepest;
}
