// oidc-provider ships without type declarations; the OIDC test drives it through a few calls only.
declare module 'oidc-provider' {
  const Provider: any;
  export default Provider;
}
