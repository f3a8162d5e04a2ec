import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IndicatorResponse } from './indicator.response.js';
import { AnyRole, Roles } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { CreateIndicatorValueDto, UpdateIndicatorDto, UpdateIndicatorValueDto } from './dto/indicator.dto.js';
import { type IndicatorView, IndicatorsService } from './indicators.service.js';
import { PlanQueryDto } from '../framework/plan-query.dto.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { Indicator } from '../indicators/indicator.entity.js';

@ApiTags('Indikatoren')
@ApiBearerAuth()
@Controller('api/indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Indikatoren mit Ausgangs- und Zielwert, Werten und Fortschritt zum Ziel' })
  @ApiOkResponse({ type: IndicatorResponse, isArray: true })
  list(@Query() query: PlanQueryDto): Promise<IndicatorView[]> {
    return this.indicators.list(query.frameworkId);
  }

  @Get(':id')
  @PlanOf(Indicator, { param: 'id' })
  @AnyRole()
  @ApiOperation({ summary: 'Ein Indikator' })
  @ApiOkResponse({ type: IndicatorResponse })
  get(@Param('id', IdPipe) id: number): Promise<IndicatorView> {
    return this.indicators.get(id);
  }

  @Patch(':id')
  @PlanOf(Indicator, { param: 'id' })
  @Roles('admin')
  @ApiOperation({ summary: 'Ausgangs- und Zielwert setzen (mit version)' })
  @ApiOkResponse({ type: IndicatorResponse })
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateIndicatorDto): Promise<IndicatorView> {
    return this.indicators.update(id, dto);
  }

  @Post(':id/values')
  @PlanOf(Indicator, { param: 'id' })
  @Roles('admin')
  @ApiOperation({ summary: 'Wert für Jahr und Gruppe erfassen' })
  @ApiCreatedResponse({ type: IndicatorResponse })
  addValue(@Param('id', IdPipe) id: number, @Body() dto: CreateIndicatorValueDto): Promise<IndicatorView> {
    return this.indicators.addValue(id, dto);
  }

  @Patch(':id/values/:valueId')
  @PlanOf(Indicator, { param: 'id' })
  @Roles('admin')
  @ApiOperation({ summary: 'Wert korrigieren (mit version)' })
  @ApiOkResponse({ type: IndicatorResponse })
  updateValue(
    @Param('id', IdPipe) id: number,
    @Param('valueId', IdPipe) valueId: number,
    @Body() dto: UpdateIndicatorValueDto,
  ): Promise<IndicatorView> {
    return this.indicators.updateValue(id, valueId, dto);
  }
}
