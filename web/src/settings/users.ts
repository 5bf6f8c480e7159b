// Users and roles (GET/POST /api/v1/users, PUT /api/v1/users/{id}/role; admins).
import { get, post, put } from '../api/client';
import type { Page } from '../api/types';

export type UserRole = 'admin' | 'operator' | 'viewer';
export const ROLES: UserRole[] = ['admin', 'operator', 'viewer'];

export const ROLE_WORDS: Record<UserRole, string> = {
  admin: 'Admin',
  operator: 'Operator',
  viewer: 'Viewer',
};

export function roleWord(role: string): string {
  return ROLE_WORDS[role as UserRole] ?? role;
}

export interface User {
  id: string;
  email: string;
  full_name: string;
  role: string;
  created_at: string;
}

export interface NewUser {
  email: string;
  password: string;
  role: UserRole;
  full_name?: string;
}

export const usersKey = ['users'] as const;

export const usersQuery = {
  queryKey: usersKey,
  queryFn: () => get<Page<User>>('/api/v1/users', { limit: 500 }),
  staleTime: 30_000,
};

export const createUser = (u: NewUser) => post<User>('/api/v1/users', u);
export const changeRole = (id: string, role: UserRole) => put<User>(`/api/v1/users/${encodeURIComponent(id)}/role`, { role });

// How a user is named in lists: full name, else email; "you" for oneself.
export function userLabel(u: Pick<User, 'email' | 'full_name'>): string {
  return u.full_name?.trim() || u.email;
}
