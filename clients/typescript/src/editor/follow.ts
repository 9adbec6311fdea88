// A session's view of its lecture's event stream: the server's revisions go to the session;
// presence, workflow progress, every event and the connection's state to the editor's callbacks.

import type { TutopandaClient } from "../client.js";
import type { LectureEvent, Presence, PresentPerson } from "../event-types.js";
import type { ConnectionState, EventStream } from "../events.js";
import type { EditorSessionOptions } from "./options.js";
import { notify, type Warn } from "./status.js";

/** The events that say which revision the server is at. */
export type RevisionEvent = Extract<
  LectureEvent,
  { event: "lecture.state" | "resync" | "lecture.revised" }
>;

type FollowOptions = Pick<
  EditorSessionOptions,
  "events" | "onEvent" | "onProgress" | "onPresence" | "onConnection"
>;

/** Follows the lecture's events from `start()` to `stop()`; `revised` gets `lecture.state`,
 * `resync` and `lecture.revised`. */
export class LectureFollower {
  private people = new Map<string, PresentPerson>();
  private state: ConnectionState = "closed";
  private stream: EventStream | null = null;
  private following: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: TutopandaClient,
    private readonly lectureId: number,
    private readonly options: FollowOptions,
    private readonly warn: Warn,
    private readonly revised: (event: RevisionEvent) => void,
  ) {}

  /** Who is on the lecture now, by user id (this user included), with their focus. */
  get present(): ReadonlyMap<string, PresentPerson> {
    return new Map(this.people);
  }

  get connection(): ConnectionState {
    return this.state;
  }

  start(): void {
    this.following = this.follow();
  }

  /** Close the stream; resolves once the last event was handled. */
  async stop(): Promise<void> {
    this.stream?.close();
    await this.following;
  }

  private async follow(): Promise<void> {
    const stream = this.client.events(this.lectureId, {
      ...this.options.events,
      onConnection: (state) => {
        this.connected(state);
      },
    });
    this.stream = stream;
    this.connected("connecting");
    try {
      for await (const event of stream) {
        notify(this.warn, this.options.onEvent, event);
        switch (event.event) {
          case "lecture.state":
          case "resync":
          case "lecture.revised":
            this.revised(event);
            break;
          case "workflow.progress":
            notify(this.warn, this.options.onProgress, event.data);
            break;
          case "presence":
            this.presence(event.data);
            break;
          case "member.removed":
          case "disconnect":
          case "other":
            break; // for onEvent: a removal, the server ending the stream, an unknown event
        }
      }
    } catch (error) {
      this.warn(`lecture ${this.lectureId}: no more events`, error);
    } finally {
      this.connected("closed");
    }
  }

  private presence(event: Presence): void {
    if (event.kind === "state") {
      this.people = new Map((event.present ?? []).map((person) => [person.userId, person]));
    } else if (event.userId === undefined || event.userId === null) {
      return;
    } else if (event.kind === "left") {
      this.people.delete(event.userId);
    } else {
      const { userId, name, focus } = event;
      this.people.set(userId, { userId, name: name ?? userId, focus: focus ?? null });
    }
    notify(this.warn, this.options.onPresence, this.present);
  }

  private connected(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    notify(this.warn, this.options.onConnection, state);
  }
}
