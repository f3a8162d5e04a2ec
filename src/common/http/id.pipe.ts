import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

const MAX_ID = 2_147_483_647;

/** Route ids: positive integers within the database's integer range, else a German 400. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{1,10}$/.test(value) || Number(value) < 1 || Number(value) > MAX_ID) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `"${String(value).slice(0, 40)}" ist keine gültige ID.`,
      });
    }
    return Number(value);
  }
}
