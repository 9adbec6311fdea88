// useLecture(id): a React hook on EditorSession, for an app's editor (README, "A React hook").
// Type-checked with the package (tsconfig.examples.json); not part of the build: copy it.

import {
  createContext,
  type ReactElement,
  useCallback,
  useContext,
  useEffect,
  useState,
} from "react";

import {
  type ConflictReport,
  type ConnectionState,
  EditorSession,
  type EditorSessionOptions,
  type Frozen,
  type PresentPerson,
  type RemoteReport,
  type SectionName,
  type SectionValues,
  type SessionStatus,
  type TutopandaClient,
} from "@tutopanda/client";

/** The signed-in user's client: `<TutopandaContext.Provider value={client}>` around the app. */
export const TutopandaContext = createContext<TutopandaClient | null>(null);

/** What the editor renders: null fields while the lecture loads. */
interface View {
  readonly status: SessionStatus | null;
  readonly content: Frozen<SectionValues> | null;
  readonly present: ReadonlyMap<string, PresentPerson>;
  readonly connection: ConnectionState;
  /** The last news of other writers (show it, then forget it). */
  readonly remote: RemoteReport | null;
  /** Opening the lecture failed (NotFound, Unauthorized, TransportError…). */
  readonly error: Error | null;
}

export interface Lecture extends View {
  readonly conflict: ConflictReport | null;
  edit<S extends SectionName>(section: S, value: Frozen<SectionValues[S]>): void;
  update<S extends SectionName>(
    section: S,
    change: (draft: SectionValues[S]) => SectionValues[S] | void,
  ): void;
  flush(): Promise<void>;
  setFocus(section: SectionName | null, itemId?: string): void;
  /** Keep mine: force the held sections over the server's. */
  reapply(): Promise<void>;
  /** Take theirs: drop the held sections (and the server's draft of them, when asked). */
  reload(discardDraft?: boolean): Promise<void>;
  dismissConflict(): void;
}

const LOADING: View = {
  status: null,
  content: null,
  present: new Map(),
  connection: "connecting",
  remote: null,
  error: null,
};

/** The lecture `lectureId` in an EditorSession while the component is mounted: its content
 * (frozen: edit with `edit` or `update`), its save status and phase, who is on it, and the
 * conflict actions. Unmounting flushes and closes the session. */
export function useLecture(
  lectureId: number,
  options: Pick<EditorSessionOptions, "debounceMs" | "policy"> = {},
): Lecture {
  const client = useContext(TutopandaContext);
  if (client === null) throw new Error("useLecture needs a TutopandaContext.Provider");
  const [session, setSession] = useState<EditorSession | null>(null);
  const [view, setView] = useState<View>(LOADING);
  const { debounceMs, policy } = options;

  useEffect(() => {
    let mounted = true;
    const change = (next: Partial<View>): void => {
      if (mounted) setView((last) => ({ ...last, ...next }));
    };
    const opened: EditorSession = new EditorSession(client, lectureId, {
      debounceMs,
      policy,
      onStatus: (status) => {
        change({ status, content: opened.content() });
      },
      onSnapshot: () => {
        change({ content: opened.content() });
      },
      onPresence: (present) => {
        change({ present });
      },
      onConnection: (connection) => {
        change({ connection });
      },
      onRemote: (remote) => {
        change({ remote });
      },
    });
    opened.open().then(
      () => {
        if (mounted) setSession(opened);
        change({ status: opened.status, content: opened.content() });
      },
      (error: unknown) => {
        change({ error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => {
      mounted = false;
      setSession(null);
      setView(LOADING);
      void opened.close(); // saves what is dirty
    };
  }, [client, lectureId, debounceMs, policy]);

  /** The content after a local change: an edit changes it even when the status stays. */
  const shown = useCallback(() => {
    if (session !== null) setView((last) => ({ ...last, content: session.content() }));
  }, [session]);

  return {
    ...view,
    conflict: view.status?.conflict ?? null,
    edit: (section, value) => {
      session?.edit(section, value);
      shown();
    },
    update: (section, change) => {
      session?.update(section, change);
      shown();
    },
    flush: async () => {
      await session?.flush();
    },
    setFocus: (section, itemId) => {
      session?.setFocus(section, itemId).catch(() => undefined); // presence is best effort
    },
    reapply: async () => {
      await session?.reapply();
    },
    reload: async (discardDraft = false) => {
      await session?.reload({ discardDraft });
      shown();
    },
    dismissConflict: () => {
      session?.dismissConflict();
    },
  };
}

const PHASE_TEXT = {
  saved: "All changes saved",
  saving: "Saving…",
  unsaved: "Unsaved changes",
  conflict: "Someone else changed this too",
  offline: "Offline: will retry",
} as const;

/** The hook in use: the lecture's title, its save indicator, who else is here, a conflict. */
export function LectureTitle({ lectureId }: { lectureId: number }): ReactElement {
  const lecture = useLecture(lectureId);
  if (lecture.error !== null) return <p role="alert">{lecture.error.message}</p>;
  if (lecture.content === null || lecture.status === null) return <p>Loading…</p>;
  const { conflict, remote } = lecture;
  return (
    <section>
      <input
        value={lecture.content.title}
        onChange={(event) => {
          lecture.edit("title", event.target.value);
        }}
        onFocus={() => {
          lecture.setFocus("title");
        }}
        onBlur={() => {
          lecture.setFocus(null);
        }}
      />
      <small>{PHASE_TEXT[lecture.status.phase]}</small>
      {lecture.connection === "reconnecting" && <small> (reconnecting…)</small>}
      <ul>
        {[...lecture.present.values()].map((person) => (
          <li key={person.userId}>
            {person.name}
            {person.focus ? ` (on ${person.focus.section})` : ""}
          </li>
        ))}
      </ul>
      {remote !== null && (
        <p>
          Updated by {[...new Set(remote.events.map((event) => event.actor))].join(", ")}
          {remote.merged ? ": your edit was merged with their changes" : ""}
        </p>
      )}
      {conflict !== null && (
        <div role="alert">
          {conflict.pointers.join(", ")} changed on the server too.
          <button onClick={() => void lecture.reapply()}>Keep mine</button>
          <button onClick={() => void lecture.reload(true)}>Take theirs</button>
        </div>
      )}
    </section>
  );
}
