import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { approvalFixture } from './fixture';
import { voteBlockReason } from './mayVote';
import { asSentence, bulkSummaryText, executionLabel, failureText, progressText, requesterText, versionChangeText, votesText, waitingText, whoMayApproveText } from './text';
import type { ApprovalChanges } from './types';

const ana = { user_id: 'u-ana', vote: true, full_name: 'Ana Lima', email: 'ana@x.io' };
const bo = { user_id: 'u-bo', vote: false, email: 'bo@x.io', comment: 'no' };
const bare = { user_id: '0123456789abcdef', vote: true };

describe('approval words', () => {
  it('turns a server reason into a sentence', () => {
    expect(asSentence('the user who started the execution may not approve it')).toBe('The user who started the execution may not approve it.');
    expect(asSentence('Already done!')).toBe('Already done!');
  });

  it('counts approvals given of required, singular and plural', () => {
    expect(progressText({ approvals: 1, required_approvals: 2 })).toBe('1 of 2 approvals');
    expect(progressText({ approvals: 0, required_approvals: 1 })).toBe('0 of 1 approval');
  });

  it('names voters: full name, else email, else a short id; "you" for me', () => {
    expect(votesText([ana, bo])).toBe('Approved by Ana Lima; rejected by bo@x.io');
    expect(votesText([ana, bare], 'u-ana')).toBe('Approved by you and user 01234567');
    expect(votesText([])).toBe('No votes yet');
  });

  it('says what the request still waits for', () => {
    const item = approvalFixture({ approvals: 1, votes: [ana] });
    expect(waitingText(item)).toBe('Waiting for 1 more approval — 1 of 2 given by Ana Lima');
    expect(waitingText(approvalFixture())).toBe('Waiting for 2 more approvals');
  });

  it('says who may approve', () => {
    expect(whoMayApproveText({ reviewers: [], prevent_self_approval: true })).toBe('Operators and admins may approve, not the one who started it');
    expect(whoMayApproveText({ reviewers: [{ kind: 'user', id: 'u-ana', email: 'ana@x.io' }, { kind: 'role', id: 'admin' }] })).toBe('Only ana@x.io or admins may approve');
    expect(whoMayApproveText({ reviewers: [{ kind: 'user', id: 'u-me' }] }, 'u-me')).toBe('Only you may approve');
  });

  it('says who asked', () => {
    expect(requesterText({ requested_by: 'u-me' }, 'u-me')).toBe('you');
    expect(requesterText({ requested_by: 'github:octocat' })).toBe('octocat (GitHub)');
    expect(requesterText({ requested_by: '01a2465d-0000-7000-8000-000000000000', requested_by_name: 'Ed Admin' })).toBe('Ed Admin');
    expect(requesterText({ requested_by: '01a2465d-0000-7000-8000-000000000000' })).toBe('user 01a2465d');
    expect(requesterText({ requested_by: '' })).toBe('the system');
  });

  it('labels the execution by title, then name, then short id', () => {
    expect(executionLabel({ title: 'Approve deploy', execution_id: 'e1' }, 'web')).toBe('Approve deploy');
    expect(executionLabel({ title: null, execution_id: 'e1' }, 'web')).toBe('web');
    expect(executionLabel({ title: '', execution_id: '0123456789' })).toBe('Execution 01234567');
  });
});

describe('versionChangeText', () => {
  const base: ApprovalChanges = {
    environment: 'Production',
    project_id: 'p1',
    target: { commit_sha: 'a1b2c3d4e5f6', version: 'v1.4.2' },
    current: { deployment_id: 'd1', version: 'v1.4.1', commit_sha: 'e5f6a7b8c9d0', deployed_at: null },
    commits: [],
    commits_truncated: false,
    commits_error: null,
  };
  it('spells out the change of version', () => {
    expect(versionChangeText(base)).toBe('Production will run v1.4.2 (a1b2c3d) instead of v1.4.1 (e5f6a7b)');
  });
  it('says when it is the first deployment or a redeploy, and falls back to SHAs without versions', () => {
    expect(versionChangeText({ ...base, current: null })).toBe('Production will run v1.4.2 (a1b2c3d): its first deployment');
    expect(versionChangeText({ ...base, current: { ...base.current!, commit_sha: 'a1b2c3d4e5f6' } })).toBe('Production already runs v1.4.2 (a1b2c3d): a redeploy');
    expect(versionChangeText({ ...base, target: { commit_sha: '', version: null }, current: null })).toBe(
      'Production will run a build that names no version or commit: its first deployment',
    );
    expect(versionChangeText({ ...base, target: { commit_sha: 'a1b2c3d4e5f6', version: null }, current: { ...base.current!, version: null } })).toBe(
      'Production will run a1b2c3d instead of e5f6a7b',
    );
  });
});

describe('bulk report words', () => {
  it('summarises and explains each failure with its status', () => {
    const forbidden = new ApiError(403, 'the user who started the execution may not approve it', 'forbidden');
    expect(failureText(forbidden)).toBe('Not allowed (403): the user who started the execution may not approve it');
    expect(failureText(new ApiError(409, 'the approval request is approved', 'conflict'))).toBe('Conflict (409): the approval request is approved');
    expect(bulkSummaryText([{ id: 'a', ok: true }, { id: 'b', ok: false, error: forbidden }])).toBe('1 approved, 1 failed');
    expect(bulkSummaryText([{ id: 'a', ok: true }])).toBe('1 approved');
    expect(bulkSummaryText([{ id: 'b', ok: false }])).toBe('1 failed');
  });
});

describe('voteBlockReason', () => {
  const op = { id: 'u-op', role: 'operator' };
  it("follows the server's can_vote when it is sent", () => {
    expect(voteBlockReason(approvalFixture({ can_vote: false, cannot_vote_reason: 'only user u9 may approve Production' }), op)).toBe('Only user u9 may approve Production.');
    expect(voteBlockReason(approvalFixture({ can_vote: true, requested_by: 'u-op' }), op)).toBeNull();
  });
  it('applies the rules it can see when the server does not say', () => {
    expect(voteBlockReason(approvalFixture(), op)).toBeNull();
    expect(voteBlockReason(approvalFixture(), { id: 'u-v', role: 'viewer' })).toBe('Only operators and admins can approve (you are a viewer).');
    expect(voteBlockReason(approvalFixture({ requested_by: 'u-op' }), op)).toBe('You started this execution: self-approval is not allowed in Production.');
    expect(voteBlockReason(approvalFixture({ requested_by: 'u-op', prevent_self_approval: false }), op)).toBeNull();
    expect(voteBlockReason(approvalFixture({ votes: [{ user_id: 'u-op', vote: true }] }), op)).toBe('You already voted on this request.');
    expect(voteBlockReason(approvalFixture({ status: 'approved' }), op)).toBe('The approval request is approved.');
  });
});
