// The flow types of flow templates and library templates, as words.
import type { FlowType } from '../builder/api';

export const FLOW_TYPE_WORDS: Record<FlowType, string> = {
  cicd: 'CI/CD',
  mlops: 'MLOps',
  llmops: 'LLMOps',
  infrastructure: 'Infrastructure',
  security: 'Security',
};

export function flowTypeWord(type: string): string {
  return (FLOW_TYPE_WORDS as Record<string, string>)[type] ?? type;
}

export function isFlowType(type: unknown): type is FlowType {
  return typeof type === 'string' && type in FLOW_TYPE_WORDS;
}
