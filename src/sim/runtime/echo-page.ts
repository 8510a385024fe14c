// What docker.io/alicek106/rr-test:echo-hostname serves on port 80: an HTML page whose greeting line is
// exactly what the seed's `wget -q -O - http://<pod> | grep Hello` printed (8 spaces, `<p>Hello,  NAME</p>`,
// 5 spaces, `</blockquote>`). The lines around it are a reconstruction; only the greeting is from the seed.
export function echoHostnamePage(hostname: string): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '        <meta charset="utf-8">',
    '        <title>Echo Hostname</title>',
    '</head>',
    '<body>',
    '        <h1>Echo Hostname</h1>',
    '        <blockquote>',
    `        <p>Hello,  ${hostname}</p>     </blockquote>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
