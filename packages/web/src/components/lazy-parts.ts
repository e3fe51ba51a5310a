import { lazyPart } from './lazy-part.ts';

/*
 * The parts of the client that are not needed to show the chat, each its own chunk, fetched when
 * first opened (the search dialog also once the chat is idle, so Ctrl/Cmd+K opens it at once).
 * Render each inside a LazyBoundary. docs/performance.md "Web client bundle" has their sizes.
 */
export const AdminPage = lazyPart(() => import('./AdminPage.tsx').then((m) => m.AdminPage));
export const AccountDialog = lazyPart(() => import('./AccountDialog.tsx').then((m) => m.AccountDialog));
export const SearchDialog = lazyPart(() => import('./SearchDialog.tsx').then((m) => m.SearchDialog));
export const MembersDialog = lazyPart(() => import('./MembersDialog.tsx').then((m) => m.MembersDialog));
export const InviteDialog = lazyPart(() => import('./InviteDialog.tsx').then((m) => m.InviteDialog));
export const GroupPicker = lazyPart(() => import('./GroupPicker.tsx').then((m) => m.GroupPicker));
export const EmojiPicker = lazyPart(() => import('./EmojiPicker.tsx').then((m) => m.EmojiPicker));
export const GifRecorder = lazyPart(() => import('./GifRecorder.tsx').then((m) => m.GifRecorder));
export const ResetPasswordScreen = lazyPart(() =>
  import('./ResetPasswordScreen.tsx').then((m) => m.ResetPasswordScreen),
);
export const ForgotPasswordForm = lazyPart(() => import('./ForgotPasswordForm.tsx').then((m) => m.ForgotPasswordForm));
