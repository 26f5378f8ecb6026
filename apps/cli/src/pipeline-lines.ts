// `headway pipelines`: each declared pipeline as a few plain lines: its name and title, its
// stages in order, and its input options with their choices, bounds and defaults.
import type { PipelineInfo } from '@headway/progress/client';
import { inputFieldsOf, type NamedInputField } from '@headway/progress/client';

export function pipelineLines(pipeline: PipelineInfo): string[] {
  const stages = pipeline.stages.map((s) => (s.loops ? `${s.name} (loops)` : s.name)).join(' → ');
  const options = inputFieldsOf(pipeline).map((field) => `    ${field.name}: ${optionText(field)}`);
  return [
    `${pipeline.name} · ${pipeline.title}`,
    ...(pipeline.description ? [`  ${pipeline.description}`] : []),
    `  stages: ${stages}`,
    ...(options.length > 0 ? ['  input:', ...options] : ['  input: none']),
  ];
}

function optionText(field: NamedInputField): string {
  switch (field.kind) {
    case 'choice':
      return `${field.options.join(' | ')} (default ${field.initial})`;
    case 'integer':
    case 'number': {
      const range = field.min !== undefined || field.max !== undefined ? ` ${field.min ?? ''}–${field.max ?? ''}` : '';
      return `${field.kind}${range}${field.initial !== undefined ? ` (default ${field.initial})` : ''}`;
    }
    case 'boolean':
      return `true | false (default ${field.initial})`;
    case 'list':
      return `comma-separated list (default ${field.initial || 'empty'})`;
    case 'text':
      return `text${field.initial ? ` (default "${field.initial}")` : ''}`;
  }
}
