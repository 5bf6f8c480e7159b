// Pipelines (/pipelines): the saved flow templates (edit, run) and the
// template library to start a new one from.
import { Link } from 'react-router';
import { SavedPipelines } from '../pipelines/SavedPipelines';
import { TemplateLibrary } from '../pipelines/TemplateLibrary';

export function PipelinesPage() {
  return (
    <section aria-labelledby="pipelines-title" className="flex flex-col gap-6">
      <div className="flex items-baseline justify-between">
        <h1 id="pipelines-title" className="text-xl font-semibold">
          Pipelines
        </h1>
        <Link to="/pipelines/new" data-testid="pipelines-new" className="rounded border border-accent bg-accent px-3 py-1.5 text-sm font-medium text-surface hover:opacity-90">
          New pipeline
        </Link>
      </div>
      <SavedPipelines />
      <TemplateLibrary />
    </section>
  );
}
