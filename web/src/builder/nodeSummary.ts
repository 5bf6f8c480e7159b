// One line about what a node does, for its card on the canvas. Pure.
import { commandsOf, hasCanarySteps, requiredApprovalsOf, textOf } from './nodeFields';
import type { BuilderNode } from './model';

export function nodeSummary(node: BuilderNode): string {
  if (node.type === 'approval') {
    const n = requiredApprovalsOf(node.data) || '1';
    const env = textOf(node.data, 'environment');
    return `${n} approval${n === '1' ? '' : 's'}${env ? ` · ${env}` : ''}`;
  }
  const commands = hasCanarySteps(node.data) ? [{ name: '', run: textOf(node.data, 'run') }] : commandsOf(node.data);
  const first = commands.find((c) => c.run.trim())?.run.trim().split('\n')[0] ?? '';
  const more = commands.length > 1 ? ` (+${commands.length - 1})` : '';
  return first ? first + more : '';
}
