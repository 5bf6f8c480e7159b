// The visual pipeline builder: /pipelines/new (empty, or ?template=<id> to
// start from a library template), /pipelines/:id/edit (a saved flow
// template). Loads the pipeline, then hands it to the workspace; the
// workspace starts afresh whenever the source changes.
import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { useLocation, useParams, useSearchParams } from 'react-router';
import { flowTemplateKey, getFlowTemplate, type FlowTemplate } from '../builder/api';
import { BuilderWorkspace } from '../builder/BuilderWorkspace';
import { modelFromFlowTemplate } from '../builder/flowTemplate';
import { EMPTY_MODEL } from '../builder/model';
import type { TemplateMeta } from '../builder/PipelinePanel';
import { getPipelineTemplate, type PipelineTemplate } from '../pipelines/api';
import { isFlowType } from '../pipelines/flowTypes';
import { useProjectScope } from '../shell/projectScope';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';

interface NavState {
  flowTemplate?: FlowTemplate;
  libraryTemplate?: PipelineTemplate;
}

function metaOf(description: string | null | undefined, type: string): TemplateMeta {
  return { description: description ?? '', flowType: isFlowType(type) ? type : 'cicd' };
}

export function PipelineBuilderPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const libraryId = id ? null : params.get('template');
  const nav = (useLocation().state ?? {}) as NavState;
  const scope = useProjectScope();

  const saved = useQuery({
    queryKey: flowTemplateKey(id ?? ''),
    queryFn: () => getFlowTemplate(id!),
    enabled: Boolean(id),
    initialData: id && nav.flowTemplate?.id === id ? nav.flowTemplate : undefined,
  });
  const library = useQuery({
    queryKey: ['pipeline-template', libraryId ?? ''],
    queryFn: () => getPipelineTemplate(libraryId!),
    enabled: Boolean(libraryId),
    initialData: libraryId && nav.libraryTemplate?.id === libraryId ? nav.libraryTemplate : undefined,
    staleTime: Infinity,
  });

  const source = id ? saved : libraryId ? library : null;
  if (source?.isPending) return <SkeletonRows rows={10} label="Loading the pipeline" />;
  if (source?.isError)
    return <ErrorState title={id ? 'Could not load this pipeline' : 'Could not load this template'} error={source.error} onRetry={() => void source.refetch()} />;

  let key = 'new';
  let model = EMPTY_MODEL;
  let meta = metaOf('', 'cicd');
  let heading = 'New pipeline';
  let projectId: string | null = scope || null;
  if (id && saved.data) {
    const t = saved.data;
    key = `saved:${t.id}:${t.updated_at}`;
    model = modelFromFlowTemplate(t.name, t.nodes, t.edges);
    meta = metaOf(t.description, t.type);
    heading = 'Edit pipeline';
    projectId = t.project_id || null;
  } else if (libraryId && library.data) {
    const t = library.data;
    key = `library:${t.id}`;
    model = modelFromFlowTemplate(t.name, t.nodes, t.edges);
    meta = metaOf(t.description, t.flow_type);
    heading = `New pipeline from a template: ${t.name}`;
  }
  return (
    <ReactFlowProvider key={key}>
      <BuilderWorkspace initial={model} initialMeta={meta} templateId={id ?? null} projectId={projectId} heading={heading} />
    </ReactFlowProvider>
  );
}
