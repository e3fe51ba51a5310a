/** The whole app's fallback (main.tsx): a render error outside any smaller boundary lands here, not on a blank page. */
export function AppCrash() {
  return (
    <main className="app-crash" role="alert">
      <h1>Something went wrong</h1>
      <p>
        pockychat hit an error it could not get past. Reloading the page usually fixes it; your messages are safe on the
        server.
      </p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </main>
  );
}
