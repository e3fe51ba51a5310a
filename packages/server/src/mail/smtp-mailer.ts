import nodemailer, { type Transporter } from 'nodemailer';
import type { ResetMailer } from '../chat/password-reset.ts';
import type { SmtpConfig } from '../config.ts';

/** Password reset mails over SMTP (nodemailer): implicit TLS with SMTP_SECURE, else STARTTLS when offered. */
export class SmtpMailer implements ResetMailer {
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(smtp: SmtpConfig) {
    this.#transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.auth && { auth: smtp.auth }),
      // A connection per mail (resets are rare); a mail server that hangs fails the mail, not the process.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    this.#from = smtp.from;
  }

  async sendPasswordReset(mail: { to: string; link: string; validMinutes: number }): Promise<void> {
    await this.#transport.sendMail({
      from: this.#from,
      to: mail.to,
      subject: 'Reset your pockychat password',
      text: [
        'Someone (you, we hope) asked to reset the password of your pockychat account.',
        '',
        `Choose a new password here, within ${mail.validMinutes} minutes:`,
        mail.link,
        '',
        'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.',
      ].join('\n'),
    });
  }

  close(): void {
    this.#transport.close();
  }
}
