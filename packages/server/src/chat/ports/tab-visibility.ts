/** Whether a user has a tab in view now (their client said so with an `activity` frame): then no push. */
export interface TabVisibility {
  hasVisibleTab(userId: string): boolean;
}
