/**
 * /robots.txt: search engines may index the public pages (and read the open data, the accessibility statement
 * and the stylesheets the pages need); everything else is for signed-in users only.
 */
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator.js';

export const ROBOTS_TXT = [
  'User-agent: *',
  'Allow: /oeffentlich',
  'Allow: /api/public/',
  'Allow: /barrierefreiheit',
  'Allow: /static/',
  'Disallow: /',
  '',
].join('\n');

@ApiExcludeController()
@Public()
@Controller()
export class RobotsController {
  @Get('robots.txt')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=86400')
  robots(): string {
    return ROBOTS_TXT;
  }
}
