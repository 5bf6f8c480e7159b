// The signed-in session as React state (auth/session.ts is the store).
import { useEffect, useState } from 'react';
import { currentSession, onSessionChange, type Session } from '../auth/session';

export function useSession(): Session | null {
  const [session, setSession] = useState(currentSession);
  useEffect(() => onSessionChange(setSession), []);
  return session;
}
