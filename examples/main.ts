import { App } from 'cdk8s';
import { addExamples } from './index';

const app = new App();
addExamples(app);
app.synth();
