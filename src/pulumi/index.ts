/**
 * The Pulumi front-end (`openfunction-constructs/pulumi`): ComponentResources over the same
 * constructs as the cdk8s API. Its components are added as the constructs they wrap land.
 */
export {};
