/** Opens the camera for a GIF: video only, a modest resolution (frames are scaled to 320 px anyway). */
export async function openCamera(): Promise<MediaStream> {
  // Absent outside secure contexts: a self-hosted server reached over plain http on a LAN.
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraUnavailable();
  return navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' },
    audio: false,
  });
}

export function stopCamera(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** The browser offers no camera API here at all (an insecure context). */
export class CameraUnavailable extends Error {
  constructor() {
    super('The camera needs a secure (https) connection to this chat.');
    this.name = 'CameraUnavailable';
  }
}

/** What to tell the person when the camera cannot be opened, from the error getUserMedia threw. */
export function cameraErrorMessage(error: unknown): string {
  // getUserMedia rejects with a DOMException, which is an Error in browsers (and in Node, for the tests).
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera permission was denied. Allow the camera for this site in your browser settings, then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera found. Connect a camera and try again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera could not be started. It may be in use by another app.';
    case 'CameraUnavailable':
      return new CameraUnavailable().message;
    default:
      return 'The camera could not be opened.';
  }
}
