/** The framework's settings that an admin changes on the page or by the API (not revisions of its content). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IdField } from '../common/http/dto-fields.js';

export class FrameworkSettingsDto {
  @ApiProperty({
    type: 'integer',
    description: 'settingsVersion, wie zuletzt gelesen (optimistische Sperre)',
  })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  settingsVersion: number;

  @ApiProperty({
    description:
      'Budget der Maßnahmen (zum Abschluss eines Zyklus eingefroren) in den öffentlichen Seiten und Daten zeigen',
  })
  @IsBoolean()
  publicBudget: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Der Plan; nötig, wenn die Installation mehrere führt',
  })
  @IsOptional()
  @IdField()
  frameworkId?: number;
}
