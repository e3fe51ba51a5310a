/** Whether a user is looking at the chat right now (pushes skip such users). */
export interface TabVisibility {
  /** True while any of the user's connections, on any node, last reported visible:true and is still open. */
  hasVisibleTab(userId: string): boolean;
}
