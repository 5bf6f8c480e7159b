// Sends a small trace to a running opzenix through the REAL OpenTelemetry
// exporter (@opentelemetry/exporter-trace-otlp-http, OTLP/HTTP JSON), the way
// an instrumented service would: used by tests/integration/otlp_exporter_test.cc.
//
//   node export_spans.mjs --url http://127.0.0.1:PORT --token TOKEN
//        [--execution-id ID] [--compression gzip|none]
//
// Starts nothing itself. Spans: "pipeline" (root, carrying
// opzenix.execution_id and opzenix.node_id), its children "build" (OK) and
// "test" (ERROR, with an event). Exits 0 when the exporter reports success and
// prints {"trace_id", "spans": [{"name", "span_id", "parent_span_id"}]} on
// stdout; exits 1 with the exporter's error on stderr otherwise.
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

function args(argv) {
  const out = { compression: 'none', executionId: '' };
  for (let i = 2; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--url') out.url = value;
    else if (key === '--token') out.token = value;
    else if (key === '--execution-id') out.executionId = value;
    else if (key === '--compression') out.compression = value;
    else throw new Error(`unknown argument ${key}`);
  }
  if (!out.url || !out.token) throw new Error('usage: --url http://127.0.0.1:PORT --token TOKEN');
  return out;
}

const opts = args(process.argv);

// Spans are recorded in memory first, then handed to the real exporter in one
// export call, so its result (success or the server's error) decides the exit code.
const recorded = new InMemorySpanExporter();
const provider = new TracerProvider({
  resource: resourceFromAttributes({
    'service.name': 'otel-exporter-test',
    'deployment.environment.name': 'staging',
  }),
  spanProcessors: [new SimpleSpanProcessor({ exporter: recorded })],
});
const tracer = provider.getTracer('opzenix-tests', '1.0.0');

const root = tracer.startSpan('pipeline', {
  attributes: {
    'opzenix.node_id': 'pipeline',
    ...(opts.executionId ? { 'opzenix.execution_id': opts.executionId } : {}),
    'ci.retries': 2,
    'ci.cached': true,
    'ci.tags': ['fast', 'linux'],
  },
});
const inRoot = trace.setSpan(context.active(), root);
const build = tracer.startSpan('build', { attributes: { 'opzenix.node_id': 'build' } }, inRoot);
build.setStatus({ code: SpanStatusCode.OK });
build.end();
const test = tracer.startSpan('test', { attributes: { 'opzenix.node_id': 'test' } }, inRoot);
test.addEvent('retry', { attempt: 2 });
test.setStatus({ code: SpanStatusCode.ERROR, message: 'exit code 1' });
test.end();
root.end();
await provider.forceFlush();

const spans = recorded.getFinishedSpans();
const exporter = new OTLPTraceExporter({
  url: `${opts.url.replace(/\/$/, '')}/v1/traces`,
  headers: { Authorization: `Bearer ${opts.token}` },
  compression: opts.compression,
});
const result = await new Promise((resolve) => exporter.export(spans, resolve));
await exporter.shutdown();
if (result.code !== 0) {
  console.error(`export failed: ${result.error?.message ?? result.code}`);
  process.exit(1);
}
console.log(JSON.stringify({
  trace_id: root.spanContext().traceId,
  spans: spans.map((s) => ({
    name: s.name,
    span_id: s.spanContext().spanId,
    parent_span_id: s.parentSpanContext?.spanId ?? '',
  })),
}));
