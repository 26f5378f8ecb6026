// A config with a mistake: two pipelines named alike. Workers must refuse it at start, naming both.
import { defineConfig } from '@headway/progress';
import shipped from '../../../headway.config.ts';

export default defineConfig({ pipelines: [...shipped.pipelines, shipped.pipelines[0]!] });
