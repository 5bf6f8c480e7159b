// The visual pipeline builder (/pipelines/new, /pipelines/:id/edit) (issue 11).
// Placeholder until its page lands.
export function PipelineBuilderPage() {
  return <h1 className="text-xl font-semibold">PipelineBuilder</h1>;
}
