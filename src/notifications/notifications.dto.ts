import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { NOTIFICATION_STATES, type NotificationState } from './notification-log.entity.js';

export class NotificationQueryDto {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATES)
  state?: NotificationState;
}

export class RunNotificationsDto {
  @ApiPropertyOptional({ description: 'nur auflisten, was jetzt versandt würde' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class NotificationSettingsDto {
  @ApiPropertyOptional({
    description: 'wöchentliche E-Mails (Wochenübersicht, wöchentliche Erinnerung bei überschrittener Frist)',
  })
  @IsBoolean()
  digestEmails: boolean;
}
