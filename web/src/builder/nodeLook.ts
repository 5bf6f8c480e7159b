// How each node type looks in the palette and on the canvas: a glyph (not a
// status icon: those mean success/failure elsewhere), a word and what it is
// for (docs/pipeline-format.md "Node types").
export interface NodeLook {
  glyph: string;
  word: string;
  purpose: string;
}

const LOOKS: Record<string, NodeLook> = {
  trigger: { glyph: '▶', word: 'Trigger', purpose: 'Entry point; a command is optional' },
  build: { glyph: '⚙', word: 'Build', purpose: 'Compile and package; needs a command' },
  test: { glyph: '⚗', word: 'Test', purpose: 'Run tests; needs a command' },
  scan: { glyph: '◎', word: 'Scan', purpose: 'Security scan; needs a command' },
  approval: { glyph: '☑', word: 'Approval', purpose: 'Waits for people to approve' },
  deploy: { glyph: '⇪', word: 'Deploy', purpose: 'Deploy to an environment with a strategy' },
  notify: { glyph: '✉', word: 'Notify', purpose: 'Send a message; a command is optional' },
  run: { glyph: '›', word: 'Run', purpose: 'Any command' },
  github_workflow: { glyph: '⎇', word: 'GitHub workflow', purpose: 'Dispatch a GitHub Actions workflow and wait' },
};

export function nodeLook(type: string): NodeLook {
  return LOOKS[type] ?? { glyph: '›', word: type, purpose: '' };
}
