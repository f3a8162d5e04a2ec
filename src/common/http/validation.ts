/**
 * One validation pipe for the whole application, with every field error listed and phrased in German.
 * class-validator's English defaults are mapped by constraint name; the numbers and lists they carry are kept.
 */
import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

export interface FieldError {
  field: string;
  messages: string[];
}

type Translator = (english: string) => string;

const after =
  (marker: string): ((english: string) => string) =>
  (english) => {
    const index = english.indexOf(marker);
    return index >= 0 ? english.slice(index + marker.length).trim() : '';
  };
const numberIn = (english: string): string => {
  const match = /(-?\d+(?:\.\d+)?)/.exec(english);
  return match ? match[1].replace('.', ',') : '';
};

const GERMAN: Record<string, Translator> = {
  whitelistValidation: () => 'ist kein zulässiges Feld',
  isDefined: () => 'ist ein Pflichtfeld',
  isNotEmpty: () => 'darf nicht leer sein',
  isString: () => 'muss ein Text sein',
  isInt: () => 'muss eine ganze Zahl sein',
  isNumber: () => 'muss eine Zahl sein',
  isBoolean: () => 'muss wahr oder falsch sein',
  isPositive: () => 'muss größer als 0 sein',
  isEmail: () => 'muss eine gültige E-Mail-Adresse sein',
  isArray: () => 'muss eine Liste sein',
  arrayNotEmpty: () => 'muss mindestens einen Eintrag haben',
  arrayUnique: () => 'darf keinen Eintrag doppelt enthalten',
  arrayMinSize: (e) => `muss mindestens ${numberIn(e)} Einträge haben`,
  arrayMaxSize: (e) => `darf höchstens ${numberIn(e)} Einträge haben`,
  min: (e) => `darf nicht kleiner als ${numberIn(e)} sein`,
  max: (e) => `darf nicht größer als ${numberIn(e)} sein`,
  minLength: (e) => `muss mindestens ${numberIn(e)} Zeichen lang sein`,
  maxLength: (e) => `darf höchstens ${numberIn(e)} Zeichen lang sein`,
  isIn: (e) => `muss einer dieser Werte sein: ${after('following values:')(e)}`,
  isEnum: (e) => `muss einer dieser Werte sein: ${after('following values:')(e)}`,
  isISO8601: () => 'muss ein Datum im Format JJJJ-MM-TT sein',
  isDateString: () => 'muss ein Datum im Format JJJJ-MM-TT sein',
  matches: () => 'hat nicht das erwartete Format',
  nestedValidation: () => 'muss ein Objekt sein',
  isObject: () => 'muss ein Objekt sein',
};

export function germanMessage(constraint: string, english: string): string {
  // Messages written for this project are German already; they are marked by not starting with the property.
  const translate = GERMAN[constraint];
  if (!translate) return english;
  return translate(english);
}

/** Flattens nested errors into "field.sub.0" paths, one entry per field. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      // A missing value is reported as missing, not as "not a number, too small, too large": a value that is
      // absent reaches the constraints only when the field is not optional.
      const missing = error.value === undefined || error.value === null;
      const constraints = missing ? { isDefined: error.constraints.isDefined ?? '' } : error.constraints;
      const messages = Object.entries(constraints).map(
        ([name, text]) =>
          (error.contexts?.[name] as { german?: string } | undefined)?.german ?? germanMessage(name, text),
      );
      result.push({ field, messages });
    }
    if (error.children?.length) result.push(...flattenValidationErrors(error.children, field));
  }
  return result;
}

export class InvalidInputException extends BadRequestException {
  constructor(errors: FieldError[], message = 'Die Eingabe ist ungültig.') {
    super({ statusCode: 400, error: 'Bad Request', message, errors });
  }
}

/** The options of the API's validation pipe, shared by every other path into the same DTOs. */
const VALIDATION = { whitelist: true, forbidNonWhitelisted: true } as const;

/**
 * Validates plain input with a DTO class as the API's pipe does: the pages' forms, the Excel imports and the
 * command line call this, so a form field, a row and an option are accepted or refused by the same rules
 * with the same German messages. `stopAtFirstError`: one message per field (forms show it beside the field).
 */
export async function validateDto<T extends object>(
  dto: new () => T,
  plain: object,
  options: { stopAtFirstError?: boolean } = {},
): Promise<{ value: T; errors: FieldError[] }> {
  const value = plainToInstance(dto, plain);
  const errors = await validate(value, {
    ...VALIDATION,
    stopAtFirstError: options.stopAtFirstError ?? false,
  });
  return { value, errors: flattenValidationErrors(errors) };
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new InvalidInputException(flattenValidationErrors(errors)),
  });
}
