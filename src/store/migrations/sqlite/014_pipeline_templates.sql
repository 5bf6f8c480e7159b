-- 014_pipeline_templates: the template library the visual pipeline builder
-- starts from (issue 11). The seeds' pipeline_templates table (001) gains the
-- flow type of flow_templates (cicd, mlops, llmops, infrastructure,
-- security), and five starter templates with fixed ids. Their nodes/edges are
-- React Flow JSON in exactly the shape POST /api/v1/flow-templates accepts
-- and pipeline::compile_flow_template compiles (tests/store/
-- pipeline_template_store_test.cc compiles each one); their commands are
-- plain POSIX shell (echo, test, printf, mkdir), so they run anywhere.
ALTER TABLE pipeline_templates ADD COLUMN flow_type TEXT NOT NULL DEFAULT 'cicd'
  CHECK (flow_type IN ('cicd', 'mlops', 'llmops', 'infrastructure', 'security'));
CREATE INDEX pipeline_templates_popularity_idx ON pipeline_templates (popularity DESC, name);

INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, popularity,
                                nodes, edges, created_at, updated_at)
VALUES ('5eed7e00-0000-4000-8000-000000000001',
        'Build, test and deploy a web service',
        'Compile and package a web service, run its tests, deploy it to the execution''s environment and announce it. A starting point for any service built from one repository.',
        'web-service',
        'cicd',
        '["web", "build", "test", "deploy"]',
        50,
        '[{"id": "trigger", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {"label": "Push to main", "description": "Runs on every push to the default branch"}}, {"id": "build", "type": "build", "position": {"x": 220, "y": 0}, "data": {"label": "Build", "steps": [{"name": "compile", "run": "mkdir -p dist && echo \"built ${OPZENIX_COMMIT_SHA:-local}\" > dist/app.txt && echo compiled"}, {"name": "package", "run": "test -s dist/app.txt && echo \"version=1.0.0\" >> \"$OPZENIX_OUTPUT\" && echo packaged"}]}}, {"id": "test", "type": "test", "position": {"x": 440, "y": 0}, "data": {"label": "Unit tests", "run": "for t in unit integration; do echo \"ok - $t tests\"; done; test 1 -eq 1"}}, {"id": "deploy", "type": "deploy", "position": {"x": 660, "y": 0}, "data": {"label": "Deploy", "run": "echo \"deploying version ${version:-1.0.0} to ${OPZENIX_ENVIRONMENT:-local} (rolling)\""}}, {"id": "notify", "type": "notify", "position": {"x": 880, "y": 0}, "data": {"label": "Announce", "run": "echo \"web service deployed\""}}]',
        '[{"id": "e-trigger-build", "source": "trigger", "target": "build"}, {"id": "e-build-test", "source": "build", "target": "test"}, {"id": "e-test-deploy", "source": "test", "target": "deploy"}, {"id": "e-deploy-notify", "source": "deploy", "target": "notify"}]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z');

INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, popularity,
                                nodes, edges, created_at, updated_at)
VALUES ('5eed7e00-0000-4000-8000-000000000002',
        'Container image with scan and staged promotion',
        'Build a container image, scan it for vulnerabilities, deploy it to Staging, and promote the same image to Production after an approval.',
        'containers',
        'security',
        '["container", "scan", "promotion", "approval"]',
        40,
        '[{"id": "build", "type": "build", "position": {"x": 0, "y": 0}, "data": {"label": "Build image", "run": "echo \"image=registry.local/app:${OPZENIX_COMMIT_SHA:-dev}\" >> \"$OPZENIX_OUTPUT\" && echo \"image built\""}}, {"id": "scan", "type": "scan", "position": {"x": 220, "y": 0}, "data": {"label": "Vulnerability scan", "run": "critical=0; high=0; echo \"scan: $critical critical, $high high\"; test \"$critical\" -eq 0"}}, {"id": "staging", "type": "deploy", "position": {"x": 440, "y": 0}, "data": {"label": "Deploy to Staging", "environment": "Staging", "run": "echo \"deploying ${image:-app} to Staging\""}}, {"id": "approve", "type": "approval", "position": {"x": 660, "y": 0}, "data": {"label": "Approve promotion", "with": {"required_approvals": 1}}}, {"id": "production", "type": "deploy", "position": {"x": 880, "y": 0}, "data": {"label": "Promote to Production", "environment": "Production", "run": "echo \"promoting ${image:-app} to Production\""}}]',
        '[{"id": "e-build-scan", "source": "build", "target": "scan"}, {"id": "e-scan-staging", "source": "scan", "target": "staging"}, {"id": "e-staging-approve", "source": "staging", "target": "approve"}, {"id": "e-approve-production", "source": "approve", "target": "production"}]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z');

INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, popularity,
                                nodes, edges, created_at, updated_at)
VALUES ('5eed7e00-0000-4000-8000-000000000003',
        'Train, evaluate, register a model',
        'Prepare a training set, train a model, gate it on an evaluation score and register the version that passed.',
        'machine-learning',
        'mlops',
        '["ml", "training", "evaluation", "model-registry"]',
        30,
        '[{"id": "prepare", "type": "build", "position": {"x": 0, "y": 0}, "data": {"label": "Prepare data", "run": "mkdir -p data && printf \"x,y\\n1,2\\n2,4\\n3,6\\n\" > data/train.csv && test -s data/train.csv && echo \"rows=3\" >> \"$OPZENIX_OUTPUT\" && echo \"training set ready\""}}, {"id": "train", "type": "build", "position": {"x": 220, "y": 0}, "data": {"label": "Train", "run": "echo \"training on ${rows:-3} rows\" && echo \"model_version=0.1.0\" >> \"$OPZENIX_OUTPUT\""}}, {"id": "evaluate", "type": "test", "position": {"x": 440, "y": 0}, "data": {"label": "Evaluate", "run": "score=93; threshold=90; echo \"accuracy ${score}% (threshold ${threshold}%)\"; test \"$score\" -ge \"$threshold\""}}, {"id": "register", "type": "deploy", "position": {"x": 660, "y": 0}, "data": {"label": "Register model", "run": "echo \"registering model ${model_version:-0.1.0}\""}}]',
        '[{"id": "e-prepare-train", "source": "prepare", "target": "train"}, {"id": "e-train-evaluate", "source": "train", "target": "evaluate"}, {"id": "e-evaluate-register", "source": "evaluate", "target": "register"}]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z');

INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, popularity,
                                nodes, edges, created_at, updated_at)
VALUES ('5eed7e00-0000-4000-8000-000000000004',
        'Prompt evaluation and LLM app deploy',
        'Check the prompt files, run the evaluation set and a safety scan in parallel, then deploy the LLM application when both pass.',
        'llm-apps',
        'llmops',
        '["llm", "prompts", "evaluation", "safety"]',
        20,
        '[{"id": "prompts", "type": "test", "position": {"x": 0, "y": 0}, "data": {"label": "Lint prompts", "run": "mkdir -p prompts && printf \"You are a helpful assistant.\\n\" > prompts/system.txt && test -s prompts/system.txt && echo \"prompts ok\""}}, {"id": "evaluate", "type": "test", "position": {"x": 220, "y": 0}, "data": {"label": "Evaluate prompts", "run": "passed=48; total=50; echo \"evaluation: $passed/$total cases passed\"; test \"$passed\" -ge 45"}}, {"id": "safety", "type": "scan", "position": {"x": 220, "y": 0}, "data": {"label": "Safety scan", "run": "findings=0; echo \"jailbreak and PII checks: $findings findings\"; test \"$findings\" -eq 0"}}, {"id": "deploy", "type": "deploy", "position": {"x": 440, "y": 0}, "data": {"label": "Deploy LLM app", "run": "echo \"deploying the LLM app to ${OPZENIX_ENVIRONMENT:-local}\""}}]',
        '[{"id": "e-prompts-evaluate", "source": "prompts", "target": "evaluate"}, {"id": "e-prompts-safety", "source": "prompts", "target": "safety"}, {"id": "e-evaluate-deploy", "source": "evaluate", "target": "deploy"}, {"id": "e-safety-deploy", "source": "safety", "target": "deploy"}]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z');

INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, popularity,
                                nodes, edges, created_at, updated_at)
VALUES ('5eed7e00-0000-4000-8000-000000000005',
        'Terraform plan, approve, apply',
        'Plan an infrastructure change, wait for a person to approve the plan, apply it and report. The commands are placeholders: replace them with terraform plan and terraform apply.',
        'infrastructure',
        'infrastructure',
        '["terraform", "iac", "approval"]',
        10,
        '[{"id": "plan", "type": "build", "position": {"x": 0, "y": 0}, "data": {"label": "terraform plan", "run": "echo \"Plan: 2 to add, 1 to change, 0 to destroy.\" && echo \"plan_summary=2 to add, 1 to change\" >> \"$OPZENIX_OUTPUT\""}}, {"id": "approve", "type": "approval", "position": {"x": 220, "y": 0}, "data": {"label": "Approve the plan", "with": {"required_approvals": 1}}}, {"id": "apply", "type": "deploy", "position": {"x": 440, "y": 0}, "data": {"label": "terraform apply", "run": "echo \"applying: ${plan_summary:-the plan}\" && echo \"Apply complete.\""}}, {"id": "notify", "type": "notify", "position": {"x": 660, "y": 0}, "data": {"label": "Report", "run": "echo \"infrastructure change applied\""}}]',
        '[{"id": "e-plan-approve", "source": "plan", "target": "approve"}, {"id": "e-approve-apply", "source": "approve", "target": "apply"}, {"id": "e-apply-notify", "source": "apply", "target": "notify"}]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z');
