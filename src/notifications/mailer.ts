/** Sends mail over SMTP (nodemailer), configured by SMTP_URL and MAIL_FROM; without SMTP_URL it sends nothing. */
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '../common/config/app-config.js';
import type { MailContent } from './notification-mails.js';

@Injectable()
export class Mailer implements OnModuleDestroy {
  private transporter: Transporter | null = null;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return !!this.config.SMTP_URL;
  }

  /** Sends one mail; throws the server's refusal or the connection failure. */
  async send(to: string, mail: MailContent): Promise<void> {
    if (!this.config.SMTP_URL) throw new Error('E-Mail-Versand ist nicht eingerichtet (SMTP_URL fehlt).');
    this.transporter ??= nodemailer.createTransport(this.config.SMTP_URL, {
      from: this.config.MAIL_FROM,
    });
    await this.transporter.sendMail({
      from: this.config.MAIL_FROM,
      to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
  }

  onModuleDestroy(): void {
    this.transporter?.close();
  }
}
