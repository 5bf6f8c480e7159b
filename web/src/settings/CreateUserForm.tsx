// Create a user: email, name, an initial password (they should change it)
// and a role (viewer unless chosen).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { Field, inputClass } from './Field';
import { fieldError, FormError } from './FormError';
import { createUser, ROLE_WORDS, ROLES, usersKey, type User, type UserRole } from './users';

export function CreateUserForm({ onCreated }: { onCreated: (u: User) => void }) {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [fullName, setFullName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<UserRole>('viewer');
  const create = useMutation({
    mutationFn: () => createUser({ email: email.trim(), password, role, full_name: fullName.trim() || undefined }),
    onSuccess: (u) => {
      void client.invalidateQueries({ queryKey: usersKey });
      setEmail('');
      setFullName('');
      setPassword('');
      setRole('viewer');
      onCreated(u);
    },
  });
  const missing = !email.trim() ? 'Give an email first' : password.length < 8 ? 'The password needs at least 8 characters' : undefined;
  return (
    <form
      aria-label="Create a user"
      onSubmit={(e) => {
        e.preventDefault();
        if (!missing) create.mutate();
      }}
      className="flex flex-col gap-2 rounded border border-border bg-surface p-3"
    >
      <h3 className="text-sm font-semibold">Create a user</h3>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Email" type="email" data-testid="user-email" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(create.error, 'email')} className="w-60" />
        <Field label="Full name" data-testid="user-name" value={fullName} onChange={(e) => setFullName(e.target.value)} className="w-48" />
        <Field
          label="Initial password"
          type="password"
          autoComplete="new-password"
          data-testid="user-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(create.error, 'password')}
          className="w-48"
        />
        <label className="flex flex-col gap-0.5 text-xs font-medium text-muted">
          Role
          <select data-testid="user-role" value={role} onChange={(e) => setRole(e.target.value as UserRole)} className={inputClass}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_WORDS[r]}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="primary" data-testid="user-create" disabled={Boolean(missing) || create.isPending} reason={create.isPending ? 'Creating…' : missing}>
          {create.isPending ? 'Creating…' : 'Create user'}
        </Button>
      </div>
      {!fieldError(create.error, 'email') && !fieldError(create.error, 'password') && <FormError error={create.error} />}
    </form>
  );
}
